package dev.edgecache.common.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The edge's {@code limits:} section: what a reader's request may be (RFC 9112 §3 and §5), and how long and how
 * many times over a reader may hold the edge's connections (issue 8.3).
 *
 * @param maxRequestLine longest request line (default 8KiB); longer is a 414
 * @param maxHeaderSize largest header block (default 16KiB); larger is a 431
 * @param maxRequestBody largest request body forwarded (default 10MiB); larger is a 413
 * @param requestHeadTimeout how long a request head (request line and header fields) may take to arrive, from
 *     its first byte (from the connection's opening for the first request); later is a 408 and the connection is
 *     closed (default 10s). It does not restart on every byte, unlike the idle timeout, so a reader trickling its
 *     headers (slowloris) cannot hold a connection for longer than this.
 * @param maxConnectionsPerClient most open reader connections from one client address (default 256; 0: no
 *     limit); more are accepted and closed at once. Behind a proxy every reader shares the proxy's address, so
 *     raise it (or set 0) there.
 */
public record LimitsConfig(
        @Nullable DataSize maxRequestLine,
        @Nullable DataSize maxHeaderSize,
        @Nullable DataSize maxRequestBody,
        @Nullable Duration requestHeadTimeout,
        @Nullable Integer maxConnectionsPerClient) {
    public static final DataSize DEFAULT_MAX_REQUEST_LINE = DataSize.ofKibibytes(8);
    public static final DataSize DEFAULT_MAX_HEADER_SIZE = DataSize.ofKibibytes(16);
    public static final DataSize DEFAULT_MAX_REQUEST_BODY = DataSize.ofMebibytes(10);
    public static final Duration DEFAULT_REQUEST_HEAD_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 256;

    /** The limits on requests only (the connection limits at their defaults). */
    public LimitsConfig(
            @Nullable DataSize maxRequestLine, @Nullable DataSize maxHeaderSize, @Nullable DataSize maxRequestBody) {
        this(maxRequestLine, maxHeaderSize, maxRequestBody, null, null);
    }

    public LimitsConfig {
        if (maxRequestLine == null) maxRequestLine = DEFAULT_MAX_REQUEST_LINE;
        if (maxHeaderSize == null) maxHeaderSize = DEFAULT_MAX_HEADER_SIZE;
        if (maxRequestBody == null) maxRequestBody = DEFAULT_MAX_REQUEST_BODY;
        if (requestHeadTimeout == null) requestHeadTimeout = DEFAULT_REQUEST_HEAD_TIMEOUT;
        if (maxConnectionsPerClient == null) maxConnectionsPerClient = DEFAULT_MAX_CONNECTIONS_PER_CLIENT;
        require(
                maxRequestLine.bytes() >= 256 && maxRequestLine.bytes() <= Integer.MAX_VALUE,
                "max-request-line",
                "max-request-line must be between 256B and 2GiB");
        require(
                maxHeaderSize.bytes() >= 1024 && maxHeaderSize.bytes() <= Integer.MAX_VALUE,
                "max-header-size",
                "max-header-size must be between 1KiB and 2GiB");
        require(maxRequestBody.bytes() <= Integer.MAX_VALUE, "max-request-body", "max-request-body must be below 2GiB");
        require(
                requestHeadTimeout.compareTo(Duration.ofMillis(10)) >= 0
                        && requestHeadTimeout.compareTo(Duration.ofHours(1)) <= 0,
                "request-head-timeout",
                "request-head-timeout must be between 10ms and 1h");
        require(
                maxConnectionsPerClient >= 0,
                "max-connections-per-client",
                "max-connections-per-client must be 0 (no limit) or more");
    }

    @Override
    public DataSize maxRequestLine() {
        return Objects.requireNonNull(maxRequestLine); // defaulted in the constructor
    }

    @Override
    public DataSize maxHeaderSize() {
        return Objects.requireNonNull(maxHeaderSize); // defaulted in the constructor
    }

    @Override
    public DataSize maxRequestBody() {
        return Objects.requireNonNull(maxRequestBody); // defaulted in the constructor
    }

    @Override
    public Duration requestHeadTimeout() {
        return Objects.requireNonNull(requestHeadTimeout); // defaulted in the constructor
    }

    @Override
    public Integer maxConnectionsPerClient() {
        return Objects.requireNonNull(maxConnectionsPerClient); // defaulted in the constructor
    }

    public static LimitsConfig defaults() {
        return new LimitsConfig(null, null, null, null, null);
    }
}
