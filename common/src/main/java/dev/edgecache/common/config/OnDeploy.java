package dev.edgecache.common.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a deploy switch does to a route's stored pages (route key {@code on-deploy}). */
public enum OnDeploy {
    /** The new deploy starts without them: each is rendered again on its first request. */
    PURGE,
    /** The previous deploy's page is served stale while one refresh renders it for the new deploy. */
    STALE;

    @JsonCreator
    public static OnDeploy of(String text) {
        for (OnDeploy o : values()) {
            if (o.configName().equals(text)) return o;
        }
        throw new IllegalArgumentException("on-deploy must be purge or stale, got '" + text + "'");
    }

    @JsonValue
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
