package dev.edgecache.common.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The edge's {@code deploys:} section: how a new deploy's critical pages are rendered before it goes live.
 *
 * @param concurrency critical pages rendered at once (default 4)
 * @param maxFailureRatio share of critical pages that may fail, 0..1 (default 0.1); more and the deploy is not
 *     activated
 */
public record DeploysConfig(
        @Nullable Integer concurrency, @Nullable Double maxFailureRatio) {
    public static final int DEFAULT_CONCURRENCY = 4;
    public static final double DEFAULT_MAX_FAILURE_RATIO = 0.1;

    public DeploysConfig {
        if (concurrency == null) concurrency = DEFAULT_CONCURRENCY;
        if (maxFailureRatio == null) maxFailureRatio = DEFAULT_MAX_FAILURE_RATIO;
        require(
                concurrency >= 1 && concurrency <= 256,
                "concurrency",
                "concurrency must be 1..256, got " + concurrency);
        require(
                maxFailureRatio >= 0 && maxFailureRatio <= 1,
                "max-failure-ratio",
                "max-failure-ratio must be between 0 and 1, got " + maxFailureRatio);
    }

    @Override
    public Integer concurrency() {
        return Objects.requireNonNull(concurrency); // defaulted in the constructor
    }

    @Override
    public Double maxFailureRatio() {
        return Objects.requireNonNull(maxFailureRatio); // defaulted in the constructor
    }

    public static DeploysConfig defaults() {
        return new DeploysConfig(null, null);
    }
}
