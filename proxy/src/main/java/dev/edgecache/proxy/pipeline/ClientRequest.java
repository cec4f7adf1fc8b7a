package dev.edgecache.proxy.pipeline;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.proxy.cache.Route;
import org.jspecify.annotations.Nullable;

/**
 * What the handler keeps of a reader's request once Netty's buffers are released: enough to answer it later,
 * on another thread's callback.
 *
 * @param credentialed the request carries a credential the origin sees ({@code Authorization} on http routes):
 *     served from the store only when the stored response allows it (RFC 9111 §3.5)
 * @param freshness what the reader's {@code Cache-Control} asks of a stored response, where the route honours it
 * @param onlyIfCached the reader wants a stored response or none: a 504 rather than an origin request (RFC 9111
 *     §5.2.1.7)
 * @param acceptEncoding {@code Accept-Encoding}, for choosing a stored encoded copy (issue 5)
 * @param range {@code Range}, answered from stored 200s (RFC 9110 §14)
 * @param ifRange {@code If-Range}
 * @param referer {@code Referer}, for the access log
 * @param userAgent {@code User-Agent}, for the access log
 */
record ClientRequest(
        String method,
        CacheKey key,
        Route route,
        @Nullable String ifNoneMatch,
        @Nullable String ifModifiedSince,
        long startNanos,
        boolean credentialed,
        ReaderFreshness freshness,
        boolean onlyIfCached,
        @Nullable String acceptEncoding,
        @Nullable String range,
        @Nullable String ifRange,
        @Nullable String referer,
        @Nullable String userAgent) {

    boolean isHead() {
        return method.equals("HEAD");
    }
}
