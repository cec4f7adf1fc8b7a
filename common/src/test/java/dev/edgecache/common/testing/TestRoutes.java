package dev.edgecache.common.testing;

import dev.edgecache.common.config.DataSize;
import dev.edgecache.common.config.RequestHeadersConfig;
import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.config.RouteMode;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RouteConfig} for a test, every key at its default but the few the test sets: one place to follow when
 * the record grows a key, instead of a positional constructor call in every test.
 */
public final class TestRoutes {
    private final String match;
    private final RouteMode mode;
    private @Nullable Duration ttl;
    private @Nullable DataSize maxObjectSize;
    private @Nullable RequestHeadersConfig requestHeaders;
    private @Nullable Boolean forwardCookies;
    private @Nullable Duration heuristicMax;

    private TestRoutes(String match, RouteMode mode) {
        this.match = match;
        this.mode = mode;
    }

    public static TestRoutes route(String match, RouteMode mode) {
        return new TestRoutes(match, mode);
    }

    public TestRoutes ttl(@Nullable Duration value) {
        ttl = value;
        return this;
    }

    public TestRoutes maxObjectSize(DataSize value) {
        maxObjectSize = value;
        return this;
    }

    public TestRoutes requestHeaders(@Nullable RequestHeadersConfig value) {
        requestHeaders = value;
        return this;
    }

    public TestRoutes forwardCookies(@Nullable Boolean value) {
        forwardCookies = value;
        return this;
    }

    public TestRoutes heuristicMax(Duration value) {
        heuristicMax = value;
        return this;
    }

    public RouteConfig build() {
        return new RouteConfig(
                null,
                match,
                mode,
                ttl,
                null,
                null,
                null,
                maxObjectSize,
                null,
                null,
                null,
                null,
                null,
                requestHeaders,
                forwardCookies,
                heuristicMax);
    }
}
