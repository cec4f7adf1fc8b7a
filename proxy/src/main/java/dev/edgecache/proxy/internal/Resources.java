package dev.edgecache.proxy.internal;

import io.netty.channel.EventLoopGroup;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a server owns, closed in reverse order of creation. A failure to close one resource is logged and the
 * others are still closed. Not thread-safe: one owner builds it, then closes it once.
 */
public final class Resources implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Resources.class);
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();

    public <T extends AutoCloseable> T add(T resource) {
        owned.push(resource);
        return resource;
    }

    /** Shut down gracefully: in-flight tasks finish, new ones are refused (2s at most). */
    public EventLoopGroup addGroup(EventLoopGroup group) {
        owned.push(() -> group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly());
        return group;
    }

    /** Shut down after queued work drains (5s at most, then interrupted). */
    public ExecutorService addExecutor(ExecutorService executor) {
        owned.push(() -> {
            executor.shutdown();
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) executor.shutdownNow();
        });
        return executor;
    }

    @Override
    public void close() {
        AutoCloseable r;
        while ((r = owned.poll()) != null) {
            try {
                r.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.warn("resource.close.failed resource={} error=\"{}\"", r, e.toString());
            }
        }
    }
}
