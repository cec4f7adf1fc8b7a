package dev.edgecache.ctl;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The resolved connection settings for one run: base URL without a trailing slash, bearer token (null when none
 * was given), per-call timeout, and for an {@code https://} URL the TLS trust ({@code --ca}; null for the JDK's
 * default trust store). {@link #toString()} hides the token so it can never reach a message or log.
 */
record AdminTarget(
        URI baseUrl,
        @Nullable String token,
        Duration timeout,
        @Nullable SSLContext trust) {
    AdminTarget {
        requireNonNull(baseUrl, "baseUrl");
        requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    /** With the JDK's default trust. */
    AdminTarget(URI baseUrl, @Nullable String token, Duration timeout) {
        this(baseUrl, token, timeout, null);
    }

    /** {@code path} starts with {@code /} and may carry an encoded query. */
    URI resolve(String path) {
        return URI.create(baseUrl + path);
    }

    AdminClient open() {
        return new AdminClient(this);
    }

    @Override
    public String toString() {
        return "AdminTarget[baseUrl=" + baseUrl + ", token=" + (token == null ? "none" : "<hidden>") + ", timeout="
                + timeout + ", trust=" + (trust == null ? "default" : "--ca") + "]";
    }
}
