package dev.edgecache.proxy.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The buffer allocator of every channel the edge opens: reader, admin and origin connections. Netty 4.2 defaults to
 * its adaptive allocator; on cache hits the pooled one cost less CPU per request in every cell measured
 * (bench/RESULTS.md §9), so it is the edge's default. Netty's own {@code -Dio.netty.allocator.type} hands the
 * choice back to Netty.
 */
public final class Buffers {
    public static final ByteBufAllocator ALLOCATOR = System.getProperty("io.netty.allocator.type") == null
            ? PooledByteBufAllocator.DEFAULT
            : ByteBufAllocator.DEFAULT;

    private Buffers() {}
}
