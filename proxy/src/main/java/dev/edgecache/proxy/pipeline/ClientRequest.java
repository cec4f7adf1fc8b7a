package dev.edgecache.proxy.pipeline;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.proxy.cache.Route;
import org.jspecify.annotations.Nullable;

/**
 * What the handler keeps of a reader's request once Netty's buffers are released: enough to answer it later,
 * on another thread's callback.
 *
 * @param authorized an http-route request with {@code Authorization}: forwarded with it, and served from the store
 *     only when the stored response allows it (RFC 9111 §3.5)
 * @param revalidate the reader asked for validation ({@code no-cache} or {@code max-age=0}) and the route honours it
 */
record ClientRequest(
        String method,
        CacheKey key,
        Route route,
        @Nullable String ifNoneMatch,
        @Nullable String ifModifiedSince,
        long startNanos,
        boolean authorized,
        boolean revalidate) {

    boolean isHead() {
        return method.equals("HEAD");
    }
}
