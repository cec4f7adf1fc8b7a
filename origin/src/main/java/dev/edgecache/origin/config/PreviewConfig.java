package dev.edgecache.origin.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The origin's {@code preview:} section: shareable draft previews are signed URLs that expire.
 *
 * @param secret the HMAC key of preview links, at least 32 characters; empty (the default) means a random key made
 *     once and kept in the database, so links survive restarts and work on every origin sharing that database.
 *     Changing it revokes every link given out
 * @param ttl how long a shared preview link works (default 7d, 1m to 90d)
 */
public record PreviewConfig(
        @Nullable String secret, @Nullable Duration ttl) {
    public static final Duration DEFAULT_TTL = Duration.ofDays(7);
    static final int MIN_SECRET_LENGTH = 32;

    public PreviewConfig {
        if (secret == null) secret = "";
        if (ttl == null) ttl = DEFAULT_TTL;
        require(
                secret.isEmpty() || secret.length() >= MIN_SECRET_LENGTH,
                "secret",
                "preview secret must be empty (a key kept in the database) or at least " + MIN_SECRET_LENGTH
                        + " characters");
        require(
                ttl.compareTo(Duration.ofMinutes(1)) >= 0 && ttl.compareTo(Duration.ofDays(90)) <= 0,
                "ttl",
                "preview ttl must be between 1m and 90d, got " + ttl);
    }

    @Override
    public String secret() {
        return Objects.requireNonNull(secret); // defaulted in the constructor
    }

    @Override
    public Duration ttl() {
        return Objects.requireNonNull(ttl); // defaulted in the constructor
    }

    public static PreviewConfig defaults() {
        return new PreviewConfig(null, null);
    }
}
