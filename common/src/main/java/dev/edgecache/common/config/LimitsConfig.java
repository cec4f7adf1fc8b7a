package dev.edgecache.common.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The edge's {@code limits:} section: what a reader's request may be (RFC 9112 §3 and §5).
 *
 * @param maxRequestLine longest request line (default 8KiB); longer is a 414
 * @param maxHeaderSize largest header block (default 16KiB); larger is a 431
 * @param maxRequestBody largest request body forwarded (default 10MiB); larger is a 413
 */
public record LimitsConfig(
        @Nullable DataSize maxRequestLine,
        @Nullable DataSize maxHeaderSize,
        @Nullable DataSize maxRequestBody) {
    public static final DataSize DEFAULT_MAX_REQUEST_LINE = DataSize.ofKibibytes(8);
    public static final DataSize DEFAULT_MAX_HEADER_SIZE = DataSize.ofKibibytes(16);
    public static final DataSize DEFAULT_MAX_REQUEST_BODY = DataSize.ofMebibytes(10);

    public LimitsConfig {
        if (maxRequestLine == null) maxRequestLine = DEFAULT_MAX_REQUEST_LINE;
        if (maxHeaderSize == null) maxHeaderSize = DEFAULT_MAX_HEADER_SIZE;
        if (maxRequestBody == null) maxRequestBody = DEFAULT_MAX_REQUEST_BODY;
        require(
                maxRequestLine.bytes() >= 256 && maxRequestLine.bytes() <= Integer.MAX_VALUE,
                "max-request-line",
                "max-request-line must be between 256B and 2GiB");
        require(
                maxHeaderSize.bytes() >= 1024 && maxHeaderSize.bytes() <= Integer.MAX_VALUE,
                "max-header-size",
                "max-header-size must be between 1KiB and 2GiB");
        require(maxRequestBody.bytes() <= Integer.MAX_VALUE, "max-request-body", "max-request-body must be below 2GiB");
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

    public static LimitsConfig defaults() {
        return new LimitsConfig(null, null, null);
    }
}
