package dev.edgecache.origin.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The origin's {@code edge:} section: where purge requests go.
 *
 * @param enabled write purge requests to the outbox and send them (default true)
 * @param adminUrl the edge's admin port (default {@code http://127.0.0.1:9090}); purges go to {@code /purge} there
 * @param adminToken bearer token for the admin port (default empty: no {@code Authorization} header)
 * @param timeout deadline of one purge call (default 5s)
 * @param retryMin first retry delay after a failed purge call (default 500ms); doubles on each failure
 * @param retryMax longest retry delay (default 1m)
 */
public record EdgeLinkConfig(
        @Nullable Boolean enabled,
        @Nullable URI adminUrl,
        @Nullable String adminToken,
        @Nullable Duration timeout,
        @Nullable Duration retryMin,
        @Nullable Duration retryMax) {

    public static final URI DEFAULT_ADMIN_URL = URI.create("http://127.0.0.1:9090");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RETRY_MIN = Duration.ofMillis(500);
    public static final Duration DEFAULT_RETRY_MAX = Duration.ofMinutes(1);

    public EdgeLinkConfig {
        if (enabled == null) enabled = true;
        if (adminUrl == null) adminUrl = DEFAULT_ADMIN_URL;
        if (adminToken == null) adminToken = "";
        if (timeout == null) timeout = DEFAULT_TIMEOUT;
        if (retryMin == null) retryMin = DEFAULT_RETRY_MIN;
        if (retryMax == null) retryMax = DEFAULT_RETRY_MAX;
        require(
                "http".equals(adminUrl.getScheme()) || "https".equals(adminUrl.getScheme()),
                "admin-url",
                "admin-url must be an http:// or https:// URL, got " + adminUrl);
        require(adminUrl.getHost() != null, "admin-url", "admin-url needs a host, got " + adminUrl);
        require(timeout.isPositive(), "timeout", "timeout must be positive");
        require(retryMin.isPositive(), "retry-min", "retry-min must be positive");
        require(retryMax.compareTo(retryMin) >= 0, "retry-max", "retry-max must not be shorter than retry-min");
    }

    @Override
    public Boolean enabled() {
        return Objects.requireNonNull(enabled); // defaulted in the constructor
    }

    @Override
    public URI adminUrl() {
        return Objects.requireNonNull(adminUrl); // defaulted in the constructor
    }

    @Override
    public String adminToken() {
        return Objects.requireNonNull(adminToken); // defaulted in the constructor
    }

    @Override
    public Duration timeout() {
        return Objects.requireNonNull(timeout); // defaulted in the constructor
    }

    @Override
    public Duration retryMin() {
        return Objects.requireNonNull(retryMin); // defaulted in the constructor
    }

    @Override
    public Duration retryMax() {
        return Objects.requireNonNull(retryMax); // defaulted in the constructor
    }

    public static EdgeLinkConfig defaults() {
        return new EdgeLinkConfig(null, null, null, null, null, null);
    }

    /** {@code {admin-url}/purge}. */
    public URI purgeUri() {
        String base = adminUrl().toString();
        return URI.create(base.endsWith("/") ? base + "purge" : base + "/purge");
    }
}
