package dev.edgecache.origin.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The origin's {@code login-limits:} section: failed log-ins allowed within a sliding window before 429.
 *
 * @param perAccount failures per username (default 5)
 * @param perAddress failures per client address (default 20)
 * @param window the sliding window (default 15m)
 */
public record LoginLimitConfig(
        @Nullable Integer perAccount,
        @Nullable Integer perAddress,
        @Nullable Duration window) {
    public static final int DEFAULT_PER_ACCOUNT = 5;
    public static final int DEFAULT_PER_ADDRESS = 20;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);

    public LoginLimitConfig {
        if (perAccount == null) perAccount = DEFAULT_PER_ACCOUNT;
        if (perAddress == null) perAddress = DEFAULT_PER_ADDRESS;
        if (window == null) window = DEFAULT_WINDOW;
        require(perAccount > 0, "per-account", "per-account must be positive, got " + perAccount);
        require(perAddress > 0, "per-address", "per-address must be positive, got " + perAddress);
        require(window.isPositive(), "window", "window must be positive");
    }

    @Override
    public Integer perAccount() {
        return Objects.requireNonNull(perAccount); // defaulted in the constructor
    }

    @Override
    public Integer perAddress() {
        return Objects.requireNonNull(perAddress); // defaulted in the constructor
    }

    @Override
    public Duration window() {
        return Objects.requireNonNull(window); // defaulted in the constructor
    }

    public static LoginLimitConfig defaults() {
        return new LoginLimitConfig(null, null, null);
    }
}
