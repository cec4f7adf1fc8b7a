package dev.edgecache.proxy.pipeline;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * Removes the {@code x-http2-*} fields Netty's HTTP/2 to HTTP/1.1 conversion adds to a request ({@code
 * x-http2-stream-id}, {@code x-http2-scheme}, …; issue 13): they describe this hop's framing, and would otherwise
 * reach the origin and any field-based decision as if the reader had sent them. A reader's own field of the same
 * name goes too: on h2 it cannot be told from Netty's.
 *
 * <p>Pipeline position: an HTTP/2 stream's pipeline, after the aggregator; consumes and produces {@link
 * FullHttpRequest}. Stateless and shared.
 */
@ChannelHandler.Sharable
final class Http2RequestFields extends ChannelInboundHandlerAdapter {
    static final Http2RequestFields INSTANCE = new Http2RequestFields();

    private Http2RequestFields() {}

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest req) {
            for (HttpConversionUtil.ExtensionHeaderNames name : HttpConversionUtil.ExtensionHeaderNames.values()) {
                req.headers().remove(name.text());
            }
        }
        ctx.fireChannelRead(msg);
    }
}
