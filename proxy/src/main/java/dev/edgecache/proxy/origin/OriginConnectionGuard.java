package dev.edgecache.proxy.origin;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of an origin connection: closes it when the origin sends bytes while no request is outstanding
 * (issue 8). Such bytes can only be the start of a response to a request the edge never made (say, a request
 * smuggled in another request's body), and a pooled connection that holds them would hand that response to the
 * next reader's request, for another URL, to be stored for everyone.
 *
 * <p>Pipeline position: before {@code HttpClientCodec}, on raw {@link ByteBuf}s. {@link OriginClient} calls {@link
 * #requestSent} before writing a request and {@link OriginResponseHandler} calls {@link #responseEnded} once its
 * response is complete. All methods run on the connection's event loop.
 */
final class OriginConnectionGuard extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(OriginConnectionGuard.class);

    private final Runnable onUnsolicitedBytes;
    private boolean awaitingResponse;

    /** @param onUnsolicitedBytes counts the event (a metric) */
    OriginConnectionGuard(Runnable onUnsolicitedBytes) {
        this.onUnsolicitedBytes = onUnsolicitedBytes;
    }

    void requestSent() {
        awaitingResponse = true;
    }

    void responseEnded() {
        awaitingResponse = false;
    }

    @SuppressWarnings("FutureReturnValueIgnored") // Netty close(): nothing to do when a close fails
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (awaitingResponse || !(msg instanceof ByteBuf buf) || !buf.isReadable()) {
            ctx.fireChannelRead(msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        onUnsolicitedBytes.run();
        log.warn(
                "origin.unsolicited-bytes channel={} remote={}: the origin sent data with no request outstanding;"
                        + " closing the connection",
                ctx.channel().id(),
                ctx.channel().remoteAddress());
        ctx.close();
    }
}
