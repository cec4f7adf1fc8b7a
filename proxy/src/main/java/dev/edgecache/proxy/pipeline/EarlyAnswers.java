package dev.edgecache.proxy.pipeline;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the answers the request aggregator writes on its own in the order of the requests (RFC 9112 §9.3.2: a
 * pipelining client matches responses to requests by their order). Netty's {@link HttpObjectAggregator} answers a
 * request as soon as its head is read: {@code 100 Continue} to {@code Expect: 100-continue}, {@code 417} to another
 * expectation, {@code 413} to a body over {@code limits.max-request-body}. When that request was pipelined behind one
 * still being answered, its early answer would go out first, and the client would take it for the earlier request's.
 * This handler holds such an answer until every response owed to the requests ahead of its own has been written.
 *
 * <p>Pipeline position: two places, as for {@link RequestHeadDeadline}. This handler goes right before the aggregator
 * ({@link #aggregator}), where it sees every request head on its way in and every response on its way out; the
 * aggregator marks the write that follows as its own early answer. Not sharable; one per connection; event loop only.
 * A held answer is released (and its write failed) if the connection closes first.
 */
final class EarlyAnswers extends ChannelDuplexHandler {
    /** An early answer, for the {@code request}-th request of the connection (from 1). */
    private record Held(Object message, ChannelPromise promise, long request) {}

    private final Queue<Held> held = new ArrayDeque<>();
    /** Request heads read. */
    private long requests;
    /** Requests whose final response has been written in full. */
    private long answered;
    /** Set by the aggregator right before it writes an early answer for the request it is reading. */
    private boolean nextWriteIsEarly;

    /** The request aggregator that goes right after this handler, with {@code maxContentLength} as Netty's. */
    ChannelHandler aggregator(int maxContentLength) {
        return new Aggregator(maxContentLength);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) requests++;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (nextWriteIsEarly) {
            nextWriteIsEarly = false;
            if (answered < requests - 1) { // responses to the requests ahead are still owed
                held.add(new Held(msg, promise, requests));
                return;
            }
        }
        pass(ctx, msg, promise);
    }

    @SuppressWarnings("FutureReturnValueIgnored") // the promise carries the outcome to the writer
    private void pass(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean ends = FinalResponseEnd.is(msg);
        ctx.write(msg, promise);
        if (!ends) return;
        answered++;
        Held next = held.peek();
        if (next != null && answered >= next.request() - 1) {
            held.remove();
            pass(ctx, next.message(), next.promise());
            ctx.flush();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeld();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseHeld();
    }

    private void releaseHeld() {
        for (Held h; (h = held.poll()) != null; ) {
            ReferenceCountUtil.release(h.message());
            h.promise().tryFailure(new ClosedChannelException());
        }
    }

    /** Netty's aggregator, marking its early answers for {@link EarlyAnswers#write}. */
    private final class Aggregator extends HttpObjectAggregator {
        Aggregator(int maxContentLength) {
            super(maxContentLength);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out) throws Exception {
            try {
                super.decode(ctx, msg, out);
            } finally {
                nextWriteIsEarly = false; // an early answer is written within decode, if at all
            }
        }

        @Override
        protected @Nullable Object newContinueResponse(
                HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
            Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
            if (answer != null) nextWriteIsEarly = true; // the aggregator writes it next
            return answer;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
            if (oversized instanceof HttpRequest) nextWriteIsEarly = true; // its 413
            super.handleOversizedMessage(ctx, oversized);
        }
    }
}
