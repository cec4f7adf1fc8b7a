package dev.edgecache.common.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The edge's {@code path:} section (issue 5).
 *
 * @param duplicateSlashes {@code merge} (default) reads {@code //} as {@code /} for routing, keying and
 *     forwarding alike; {@code keep} leaves such paths distinct (RFC 3986 treats them as different paths)
 */
public record PathConfig(@Nullable DuplicateSlashes duplicateSlashes) {
    public PathConfig {
        if (duplicateSlashes == null) duplicateSlashes = DuplicateSlashes.MERGE;
    }

    @Override
    public DuplicateSlashes duplicateSlashes() {
        return Objects.requireNonNull(duplicateSlashes); // defaulted in the constructor
    }

    public static PathConfig defaults() {
        return new PathConfig(null);
    }

    /** What {@code //} in a path means. */
    public enum DuplicateSlashes {
        KEEP,
        MERGE;

        @JsonCreator
        public static DuplicateSlashes of(String text) {
            for (DuplicateSlashes d : values()) {
                if (d.configName().equals(text)) return d;
            }
            throw new IllegalArgumentException("duplicate-slashes must be keep or merge, got '" + text + "'");
        }

        @JsonValue
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
