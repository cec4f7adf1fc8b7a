package dev.edgecache.proxy.admin;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts admin HTTP requests to the {@link AdminRouter} and its answers back to HTTP. The request is copied off
 * Netty's buffers before the router runs, possibly on another thread.
 *
 * <p>Pipeline position: last; consumes {@link FullHttpRequest} (auto-released). Runs on the admin event loop.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

    private final AdminRouter router;

    AdminHandler(AdminRouter router) {
        this.router = router;
    }

    @SuppressWarnings("FutureReturnValueIgnored") // handle() never fails; write() closes on error
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req) && req.decoderResult().isSuccess();
        if (!req.decoderResult().isSuccess()) {
            write(ctx, AdminResponse.error(400, "malformed request"), false);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        AdminRequest call = new AdminRequest(
                req.method().name(),
                uri.path(),
                uri.parameters(),
                ByteBufUtil.getBytes(req.content()),
                String.valueOf(ctx.channel().remoteAddress()));
        router.handle(call, req.headers().get(HttpHeaderNames.AUTHORIZATION))
                .thenAccept(answer -> write(ctx, answer, keepAlive));
    }

    private static void write(ChannelHandlerContext ctx, AdminResponse answer, boolean keepAlive) {
        FullHttpResponse r = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()),
                Unpooled.wrappedBuffer(answer.body()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (answer.status() == 401) r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"edge-admin\"");
        HttpUtil.setKeepAlive(r, keepAlive);
        var written = ctx.writeAndFlush(r);
        if (!keepAlive) written.addListener(ChannelFutureListener.CLOSE);
    }

    @SuppressWarnings("FutureReturnValueIgnored") // Netty close(): nothing to do when a close fails
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("admin.error channel={} error=\"{}\"", ctx.channel().id(), cause.toString());
        ctx.close();
    }
}
