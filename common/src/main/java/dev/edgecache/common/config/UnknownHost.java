package dev.edgecache.common.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What the edge does with a {@code Host} that is not one of the configured {@code sites} (issue 5). */
public enum UnknownHost {
    /** Answer 421 Misdirected Request (RFC 9110 §15.5.20). */
    REJECT,
    /** Serve it as the first listed site. */
    DEFAULT;

    @JsonCreator
    public static UnknownHost of(String text) {
        for (UnknownHost u : values()) {
            if (u.configName().equals(text)) return u;
        }
        throw new IllegalArgumentException("unknown-host must be reject or default, got '" + text + "'");
    }

    @JsonValue
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
