package dev.edgecache.proxy.pipeline;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.proxy.cache.Route;
import org.jspecify.annotations.Nullable;

/**
 * What the handler keeps of a reader's request once Netty's buffers are released: enough to answer it later,
 * on another thread's callback.
 */
record ClientRequest(
        String method,
        CacheKey key,
        Route route,
        @Nullable String ifNoneMatch,
        @Nullable String ifModifiedSince,
        long startNanos) {

    boolean isHead() {
        return method.equals("HEAD");
    }
}
