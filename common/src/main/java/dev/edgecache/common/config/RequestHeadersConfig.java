package dev.edgecache.common.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import dev.edgecache.common.http.RequestFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A route's {@code request-headers:} (issue 11): request fields added to or taken from what the route forwards to
 * the origin by default. Names are matched case-insensitively and kept in lower case. What each mode may add is
 * checked by {@link RouteConfig}, which knows the mode; here only what holds on every mode: names are tokens, none is
 * listed twice or in both lists, hop-by-hop fields ({@link RequestFields#HOP_BY_HOP}) and the fields the edge writes
 * itself ({@link RequestFields#REBUILT}) cannot be named in either.
 *
 * @param forward fields forwarded in addition to the route's default (e.g. {@code Accept-Language} on a persistent
 *     route); default none
 * @param drop fields withheld from the origin although the default would forward them; default none
 */
public record RequestHeadersConfig(
        @Nullable List<String> forward, @Nullable List<String> drop) {
    public RequestHeadersConfig {
        forward = names("forward", forward);
        drop = names("drop", drop);
        for (int i = 0; i < drop.size(); i++) {
            require(
                    !forward.contains(drop.get(i)),
                    "drop[" + i + "]",
                    "'" + drop.get(i) + "' is listed in both forward and drop");
        }
    }

    private static List<String> names(String key, @Nullable List<String> given) {
        if (given == null) return List.of();
        List<String> out = new ArrayList<>(given.size());
        for (int i = 0; i < given.size(); i++) {
            String n = given.get(i);
            String at = key + "[" + i + "]";
            require(
                    n != null && RequestFields.isToken(n.strip()),
                    at,
                    "a header field name is a token (letters, digits, '-' and the like), got '" + n + "'");
            String name = RequestFields.lower(Objects.requireNonNull(n).strip());
            require(!out.contains(name), at, "'" + name + "' is listed twice");
            require(
                    !RequestFields.HOP_BY_HOP.contains(name),
                    at,
                    "'" + name + "' is hop-by-hop (RFC 9110 §7.6.1): it belongs to one connection and is never "
                            + "forwarded");
            require(
                    !RequestFields.REBUILT.contains(name),
                    at,
                    "'" + name + "' is written by the edge itself (Host, framing, Via, X-Forwarded-For/-Proto)");
            out.add(name);
        }
        return List.copyOf(out);
    }

    @Override
    public List<String> forward() {
        return Objects.requireNonNull(forward); // defaulted in the constructor
    }

    @Override
    public List<String> drop() {
        return Objects.requireNonNull(drop); // defaulted in the constructor
    }

    /** Nothing added, nothing taken away. */
    public static RequestHeadersConfig defaults() {
        return new RequestHeadersConfig(null, null);
    }
}
