package dev.edgecache.proxy.origin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * Fails the exchange as soon as the origin's {@code 101 Switching Protocols} head is decoded (RFC 9110 §15.2.2, issue
 * 11). The edge never asks to switch (it sends no {@code Upgrade}), so what follows is not HTTP/1.1 and can only be
 * discarded. It must be caught here, before {@code HttpObjectAggregator}: Netty's decoder reads a 101 that names
 * {@code Upgrade: websocket} without {@code Sec-WebSocket-Accept} as a Hixie-76 handshake with a body running to the
 * end of the connection, so the aggregated response, which {@link OriginResponseHandler} rejects, would only come when
 * the origin closed, and the reader would wait for {@code origin.timeout} and get a 504 instead of a 502.
 *
 * <p>Pipeline position: between {@code HttpClientCodec} and {@code HttpObjectAggregator}. After a switch it releases
 * everything the codec still decodes; the exception it raises makes {@link OriginResponseHandler} fail the exchange
 * and close the connection. All methods run on the connection's event loop.
 */
final class OriginProtocolSwitchGuard extends ChannelInboundHandlerAdapter {
    private boolean switched;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (switched) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse r && r.status().code() == 101) {
            switched = true;
            ReferenceCountUtil.release(msg);
            ctx.fireExceptionCaught(
                    new OriginException(OriginException.Kind.PROTOCOL, "origin switched protocols unasked"));
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
