package dev.edgecache.origin.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The origin's {@code sessions:} section.
 *
 * @param ttl how long a session lives after log-in (default 14d)
 * @param secureCookie add {@code Secure} to the session cookie; turn on when readers use HTTPS (default false)
 */
public record SessionConfig(
        @Nullable Duration ttl, @Nullable Boolean secureCookie) {
    public static final Duration DEFAULT_TTL = Duration.ofDays(14);

    public SessionConfig {
        if (ttl == null) ttl = DEFAULT_TTL;
        if (secureCookie == null) secureCookie = false;
        require(ttl.compareTo(Duration.ofMinutes(1)) >= 0, "ttl", "session ttl must be at least 1m");
    }

    @Override
    public Duration ttl() {
        return Objects.requireNonNull(ttl); // defaulted in the constructor
    }

    @Override
    public Boolean secureCookie() {
        return Objects.requireNonNull(secureCookie); // defaulted in the constructor
    }

    public static SessionConfig defaults() {
        return new SessionConfig(null, null);
    }
}
