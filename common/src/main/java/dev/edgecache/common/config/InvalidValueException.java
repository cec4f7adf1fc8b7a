package dev.edgecache.common.config;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by a config record's constructor for a value that parses but makes no sense (a missing TTL, a
 * negative size). {@link YamlConfigLoader} turns it into a {@code file:line key: message} error, using
 * {@link #key()} to point at the offending line.
 */
public final class InvalidValueException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public InvalidValueException(String key, @Nullable String message) {
        super(message);
        this.key = key;
    }

    /** The key, relative to the record that threw, e.g. {@code ttl}. */
    public String key() {
        return key;
    }

    /** Argument check used by config records: fails with {@code key} named when {@code ok} is false. */
    public static void require(boolean ok, String key, @Nullable String message) {
        if (!ok) throw new InvalidValueException(key, message);
    }
}
