package dev.edgecache.proxy.pipeline;

import dev.edgecache.proxy.metrics.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deadline for each request head (issue 8.3, slowloris): the request line and header fields must arrive within
 * {@code limits.request-head-timeout} of the head's first byte (of the connection's opening, for the first
 * request). The idle timeout cannot do this, because it restarts on every byte, so a reader trickling one header
 * byte a second would hold the connection for hours. When the deadline passes the reader gets {@code 408 Request
 * Timeout} with {@code Connection: close} and the connection is closed; if a response to an earlier request is
 * still owed, a 408 would be taken as that response, so the connection is just closed. A keep-alive connection
 * idle between requests is not timed here (no byte of a head has come): the idle timeout applies, as before.
 *
 * <p>Pipeline position: two places, because the head starts with a raw byte and ends with a decoded message.
 * {@link #firstBytes()} goes before the HTTP codec and notes when the first byte of a head arrives; this handler
 * goes right after the codec, sees each decoded {@link HttpRequest} (the end of a head, also of an undecodable
 * one, which the validator answers) and {@link LastHttpContent} (the end of a request), and counts the responses
 * written back. The timer is only armed when a read ends with a head still incomplete, so a head that arrives in
 * one read, the usual case, costs no timer. One gap, by design: bytes of a pipelined head that arrive in the same
 * read as the end of the previous request do not start its deadline (this handler cannot see what the codec kept);
 * the next byte does, and if none comes the idle timeout closes the connection. Not sharable; one per connection; event loop only. Owns no buffers:
 * messages pass through, and bytes that arrive after the deadline are released here.
 */
final class RequestHeadDeadline extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(RequestHeadDeadline.class);

    private enum State {
        /** Between requests: nothing of the next head has arrived. */
        IDLE,
        /** Bytes of a head have arrived (or the connection just opened); the deadline runs. */
        HEAD,
        /** The head is decoded; the body (if any) is being read. */
        BODY,
        /** The deadline passed; the connection is closing. */
        EXPIRED
    }

    private final long timeoutNanos;
    private final Runnable onTimeout;
    private final FirstBytes firstBytes = new FirstBytes();
    private State state = State.HEAD;
    private long headStartNanos;
    private @Nullable ScheduledFuture<?> timer;
    /** Requests decoded whose responses have not been written in full. */
    private int owed;

    /**
     * @param timeout {@code limits.request-head-timeout}
     * @param onTimeout counts a missed deadline (a metric); runs on the event loop
     */
    RequestHeadDeadline(Duration timeout, Runnable onTimeout) {
        this.timeoutNanos = timeout.toNanos();
        this.onTimeout = onTimeout;
    }

    /** The part that goes before the HTTP codec: it notes the first byte of each head. */
    ChannelHandler firstBytes() {
        return firstBytes;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        headStartNanos = now(ctx); // the first request's head is due from the opening
        arm(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.EXPIRED) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest) {
            disarm();
            owed++;
            state = State.BODY;
        }
        if (msg instanceof LastHttpContent) state = State.IDLE;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (state == State.HEAD && timer == null) arm(ctx); // the read ended in the middle of a head
        ctx.fireChannelReadComplete();
    }

    @SuppressWarnings("FutureReturnValueIgnored") // the promise carries the outcome to the writer
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (FinalResponseEnd.is(msg) && owed > 0) owed--; // 100 Continue answers nothing yet
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        disarm();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }

    private void arm(ChannelHandlerContext ctx) {
        long delay = Math.max(0, headStartNanos + timeoutNanos - now(ctx));
        timer = ctx.executor().schedule(() -> expire(ctx), delay, TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @SuppressWarnings("FutureReturnValueIgnored") // Netty close(): nothing to do when a close fails
    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (state != State.HEAD || !ctx.channel().isActive()) return;
        state = State.EXPIRED;
        onTimeout.run();
        log.debug(
                "client.head-timeout channel={} remote={} owed={}",
                ctx.channel().id(),
                ctx.channel().remoteAddress(),
                owed);
        if (owed > 0) {
            ctx.close(); // a 408 now would be read as the answer to the earlier request
            return;
        }
        FullHttpResponse r = ResponseFactory.error(
                HttpResponseStatus.REQUEST_TIMEOUT,
                "the request head did not arrive within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + "ms",
                Outcome.CLIENT_BAD_REQUEST);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    private static long now(ChannelHandlerContext ctx) {
        return ctx.executor().ticker().nanoTime(); // the loop's clock: EmbeddedChannel tests move it
    }

    /** Before the codec: a readable buffer while no head is under way starts the next head's deadline. */
    private final class FirstBytes extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (state == State.EXPIRED) { // closing: do not decode any more
                ReferenceCountUtil.release(msg);
                return;
            }
            if (state == State.IDLE && msg instanceof ByteBuf b && b.isReadable()) {
                state = State.HEAD;
                headStartNanos = now(ctx);
            }
            ctx.fireChannelRead(msg);
        }
    }
}
