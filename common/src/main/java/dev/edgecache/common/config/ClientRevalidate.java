package dev.edgecache.common.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a reader's {@code Cache-Control: no-cache}, {@code max-age} or {@code min-fresh} does on a cacheable route
 * (route key {@code client-revalidate}; RFC 9111 §5.2.1 lets a cache honour them, and a shared cache may ignore them).
 */
public enum ClientRevalidate {
    /** A stored page the reader finds too old is revalidated with the origin (a conditional request) first. */
    HONOR,
    /** The stored page is served as if the reader had not asked. */
    IGNORE;

    @JsonCreator
    public static ClientRevalidate of(String text) {
        for (ClientRevalidate c : values()) {
            if (c.configName().equals(text)) return c;
        }
        throw new IllegalArgumentException("client-revalidate must be honor or ignore, got '" + text + "'");
    }

    @JsonValue
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
