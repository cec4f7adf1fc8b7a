package dev.edgecache.proxy.origin;

import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * One request to the origin and its single outcome. Completed at most once: by the response, a failure, or
 * the deadline, whichever comes first. Touched only on the event loop that sends it.
 */
final class OriginExchange {
    final OriginRequest request;
    final CompletableFuture<OriginResponse> result = new CompletableFuture<>();
    final long startNanos;

    @Nullable
    ScheduledFuture<?> deadline;
    /** True while the request runs on a connection taken from the pool (a closed one may be retried). */
    boolean reusedConnection;
    /** The connection carrying the request, closed if the deadline passes. */
    @Nullable
    Channel connection;
    /** The whole request was handed to the socket; a response before that means the origin skipped some of it. */
    boolean requestWritten;
    /** Run instead of failing when the connection closes before a response; used once. */
    @Nullable
    Runnable retry;

    OriginExchange(OriginRequest request, long startNanos) {
        this.request = request;
        this.startNanos = startNanos;
    }

    /** @return false if the exchange had already ended (e.g. timed out), so the connection must not be reused */
    boolean complete(OriginResponse response) {
        cancelDeadline();
        return result.complete(response);
    }

    void fail(OriginException e) {
        cancelDeadline();
        result.completeExceptionally(e);
    }

    /** @return true if a retry was started instead of failing */
    boolean retryAfterClose() {
        Runnable r = retry;
        retry = null;
        if (r == null || isDone()) return false;
        connection = null;
        r.run();
        return true;
    }

    boolean isDone() {
        return result.isDone();
    }

    private void cancelDeadline() {
        if (deadline != null) deadline.cancel(false);
    }
}
