package dev.edgecache.common.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The edge's {@code origin:} section: where misses and passes go.
 *
 * @param url {@code http://host:port} of the origin (no path)
 * @param connectTimeout TCP connect timeout (default 2s)
 * @param timeout deadline for the whole response (default 10s); collapsed waiters wait at most this long
 * @param maxConnections idle keep-alive connections kept per event loop (default 32)
 * @param maxResponseSize largest origin response body accepted (default 64MiB); larger is a 502
 * @param errorBackoff after a cacheable page's render fails (no answer, or 502/503/504), how long further misses
 *     of that page are answered 503 without asking the origin again (default 1s; 0s turns it off)
 * @param circuitFailures consecutive failed origin requests that open the circuit: while open, requests that
 *     would reach the origin get a 503 at once, stored pages are still served (default 20; 0 turns it off)
 * @param circuitOpen how long the circuit stays open before one probe request may test the origin (default 5s)
 * @param keepaliveTimeout how long an idle pooled connection may be reused (default 4s): set it below the origin's
 *     own keep-alive timeout (Node 5s, nginx 75s, Apache 5s) so the edge never sends a request on a connection the
 *     origin is closing, which would fail a POST that cannot be retried
 */
public record OriginConfig(
        URI url,
        @Nullable Duration connectTimeout,
        @Nullable Duration timeout,
        @Nullable Integer maxConnections,
        @Nullable DataSize maxResponseSize,
        @Nullable Duration errorBackoff,
        @Nullable Integer circuitFailures,
        @Nullable Duration circuitOpen,
        @Nullable Duration keepaliveTimeout) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONNECTIONS = 32;
    public static final DataSize DEFAULT_MAX_RESPONSE_SIZE = DataSize.ofMebibytes(64);
    public static final Duration DEFAULT_ERROR_BACKOFF = Duration.ofSeconds(1);
    public static final int DEFAULT_CIRCUIT_FAILURES = 20;
    public static final Duration DEFAULT_CIRCUIT_OPEN = Duration.ofSeconds(5);
    public static final Duration DEFAULT_KEEPALIVE_TIMEOUT = Duration.ofSeconds(4);

    public OriginConfig {
        require(url != null, "url", "origin.url is required, e.g. http://127.0.0.1:8081");
        require("http".equals(url.getScheme()), "url", "only http:// origins are supported, got " + url);
        require(url.getHost() != null, "url", "origin url needs a host, got " + url);
        require(
                url.getRawPath() == null
                        || url.getRawPath().isEmpty()
                        || url.getRawPath().equals("/"),
                "url",
                "origin url must not have a path, got " + url);
        if (connectTimeout == null) connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        if (timeout == null) timeout = DEFAULT_TIMEOUT;
        if (maxConnections == null) maxConnections = DEFAULT_MAX_CONNECTIONS;
        if (maxResponseSize == null) maxResponseSize = DEFAULT_MAX_RESPONSE_SIZE;
        require(connectTimeout.isPositive(), "connect-timeout", "connect-timeout must be positive");
        require(timeout.isPositive(), "timeout", "timeout must be positive");
        require(maxConnections > 0, "max-connections", "max-connections must be positive, got " + maxConnections);
        if (errorBackoff == null) errorBackoff = DEFAULT_ERROR_BACKOFF;
        if (circuitFailures == null) circuitFailures = DEFAULT_CIRCUIT_FAILURES;
        if (circuitOpen == null) circuitOpen = DEFAULT_CIRCUIT_OPEN;
        require(!errorBackoff.isNegative(), "error-backoff", "error-backoff must not be negative (0s turns it off)");
        require(circuitFailures >= 0, "circuit-failures", "circuit-failures must be 0 (off) or more");
        require(circuitOpen.isPositive(), "circuit-open", "circuit-open must be positive");
        if (keepaliveTimeout == null) keepaliveTimeout = DEFAULT_KEEPALIVE_TIMEOUT;
        require(
                !keepaliveTimeout.isNegative(),
                "keepalive-timeout",
                "keepalive-timeout must not be negative (0s: no reuse)");
    }

    @Override
    public Duration errorBackoff() {
        return Objects.requireNonNull(errorBackoff); // defaulted in the constructor
    }

    @Override
    public Integer circuitFailures() {
        return Objects.requireNonNull(circuitFailures); // defaulted in the constructor
    }

    @Override
    public Duration circuitOpen() {
        return Objects.requireNonNull(circuitOpen); // defaulted in the constructor
    }

    @Override
    public Duration keepaliveTimeout() {
        return Objects.requireNonNull(keepaliveTimeout); // defaulted in the constructor
    }

    @Override
    public Duration connectTimeout() {
        return Objects.requireNonNull(connectTimeout); // defaulted in the constructor
    }

    @Override
    public Duration timeout() {
        return Objects.requireNonNull(timeout); // defaulted in the constructor
    }

    @Override
    public Integer maxConnections() {
        return Objects.requireNonNull(maxConnections); // defaulted in the constructor
    }

    @Override
    public DataSize maxResponseSize() {
        return Objects.requireNonNull(maxResponseSize); // defaulted in the constructor
    }

    public static OriginConfig of(URI url) {
        return new OriginConfig(url, null, null, null, null, null, null, null, null);
    }

    public String host() {
        return url.getHost();
    }

    public int port() {
        return url.getPort() < 0 ? 80 : url.getPort();
    }

    /** The {@code Host} header sent to the origin. */
    public String authority() {
        return url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
    }
}
