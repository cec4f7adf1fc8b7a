package dev.edgecache.common.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The edge's {@code query:} section (issue 5). Query parameters are always sorted by name in the key and the
 * forwarded request; these are removed from both.
 *
 * @param drop parameter names to drop, exact ({@code fbclid}) or with a trailing {@code *} ({@code utm_*});
 *     default none
 */
public record QueryConfig(@Nullable List<String> drop) {
    public QueryConfig {
        drop = drop == null ? List.of() : List.copyOf(drop);
        for (int i = 0; i < drop.size(); i++) {
            String p = drop.get(i);
            String key = "drop[" + i + "]";
            require(
                    p != null && !p.isEmpty() && !p.equals("*"),
                    key,
                    "a dropped parameter needs a name or a prefix, e.g. utm_* (dropping every parameter with '*' is "
                            + "not allowed)");
            require(
                    p.indexOf('*') < 0 || p.indexOf('*') == p.length() - 1,
                    key,
                    "'*' is only allowed at the end of a name, got '" + p + "'");
            require(
                    p.chars().allMatch(c -> c > 0x20 && c < 0x7F && "&=#?%".indexOf(c) < 0),
                    key,
                    "a parameter name must be printable ASCII without '&', '=', '#', '?' or '%', got '" + p + "'");
        }
    }

    @Override
    public List<String> drop() {
        return Objects.requireNonNull(drop); // defaulted in the constructor
    }

    public static QueryConfig defaults() {
        return new QueryConfig(null);
    }
}
