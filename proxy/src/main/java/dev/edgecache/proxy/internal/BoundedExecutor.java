package dev.edgecache.proxy.internal;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Named, bounded thread pools for work that may block (disk I/O). A full queue rejects instead of blocking. */
public final class BoundedExecutor {
    private BoundedExecutor() {}

    public static ExecutorService create(String name, int threads, int queueSize) {
        return new ThreadPoolExecutor(
                threads,
                threads,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueSize),
                new DefaultThreadFactory(name, true),
                new ThreadPoolExecutor.AbortPolicy());
    }
}
