package dev.edgecache.proxy.pipeline;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http3.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * What an HTTP/3 request stream needs between Netty's frame-to-HTTP/1 codec and the shared request handlers (issue
 * 13), as {@link Http2RequestFields} is for h2:
 *
 * <ul>
 *   <li>in: removes the {@code x-http3-*} fields Netty's conversion adds ({@code x-http3-stream-id}, {@code
 *       x-http3-scheme}, …): they describe this hop's framing and must not reach the origin or any field-based
 *       decision (a reader's own field of the same name goes too: it cannot be told from Netty's);
 *   <li>out: drops interim (1xx) responses. The request handler relays an origin's interim responses to HTTP/1.1
 *       readers; Netty's HTTP/3 codec would end the stream with any but 100, before the final response.
 * </ul>
 *
 * <p>Pipeline position: an HTTP/3 stream's pipeline, after the aggregator. Stateless and shared.
 */
@ChannelHandler.Sharable
final class Http3StreamFields extends ChannelDuplexHandler {
    static final Http3StreamFields INSTANCE = new Http3StreamFields();

    private Http3StreamFields() {}

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest req) {
            for (HttpConversionUtil.ExtensionHeaderNames name : HttpConversionUtil.ExtensionHeaderNames.values()) {
                req.headers().remove(name.text());
            }
        }
        ctx.fireChannelRead(msg);
    }

    @SuppressWarnings("FutureReturnValueIgnored") // a pass-through write: its promise carries the outcome
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
            return;
        }
        ctx.write(msg, promise);
    }
}
