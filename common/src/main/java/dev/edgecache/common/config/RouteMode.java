package dev.edgecache.common.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** How a route's responses are cached (DESIGN.md §1). */
public enum RouteMode {
    /** Rendered on first request, stored for the life of the deploy or until purged. */
    PERSISTENT,
    /** Stored for the route's {@code ttl}. */
    TTL,
    /** Never stored; forwarded with cookies and body. */
    PASS,
    /** A shared cache as in RFC 9111: freshness, validation and {@code Vary} follow the origin's headers. */
    HTTP;

    @JsonCreator
    public static RouteMode of(String text) {
        for (RouteMode m : values()) {
            if (m.configName().equals(text)) return m;
        }
        throw new IllegalArgumentException("unknown mode '" + text + "', expected one of "
                + Arrays.stream(values()).map(RouteMode::configName).toList());
    }

    @JsonValue
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isCacheable() {
        return this != PASS;
    }
}
