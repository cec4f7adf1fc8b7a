package dev.edgecache.bench;

import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The baseline server: behind a bare {@code HttpServerCodec}, answers every request with the same bytes the edge
 * sends for a hit on {@code page} (same headers, same body, wrapped not copied), with no cache, routing,
 * validation, flow control or metrics. The edge's cost over this is what the cache adds to serving a page.
 */
final class BareResponder extends SimpleChannelInboundHandler<HttpObject> {
    private final byte[] body;
    private final HttpHeaders headers = new DefaultHttpHeaders();

    BareResponder(StoredEntry page) {
        body = page.body();
        for (Header h : page.headers()) headers.add(h.name(), h.value());
        headers.set(HttpHeaderNames.ETAG, page.etag());
        headers.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        headers.set(HttpHeaderNames.AGE, 0);
        headers.set("Cache-Status", "edge; hit");
    }

    @SuppressWarnings("FutureReturnValueIgnored") // Netty write: a failed write to a benchmark client needs no handling
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (!(msg instanceof LastHttpContent)) return; // answer once the request is complete
        FullHttpResponse r =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
        r.headers().set(headers);
        ctx.writeAndFlush(r);
    }
}
