package dev.edgecache.proxy.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin port's calls. {@code /healthz} and {@code /readyz} are open; everything else needs
 * {@code Authorization: Bearer <admin.token>} (compared in constant time) and answers 401 without it. With no
 * token configured, only the open calls work.
 *
 * <p>Pipeline position: last; consumes {@link FullHttpRequest}. Runs on the admin event loop; the calls here
 * are quick and never touch the disk.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);
    private static final Logger audit = LoggerFactory.getLogger("edge.audit");

    private final byte[] token;
    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier ready;

    AdminHandler(String token, PrometheusMeterRegistry registry, BooleanSupplier ready) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.registry = registry;
        this.ready = ready;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = new QueryStringDecoder(req.uri()).path();
        FullHttpResponse response;
        if (path.equals("/healthz")) {
            response = json(HttpResponseStatus.OK, "{\"status\":\"up\"}");
        } else if (path.equals("/readyz")) {
            response = ready.getAsBoolean()
                    ? json(HttpResponseStatus.OK, "{\"ready\":true}")
                    : json(HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"ready\":false}");
        } else if (!authorized(req)) {
            audit.info("admin.unauthorized remote={} method={} path={}", ctx.channel().remoteAddress(), req.method(), path);
            response = json(HttpResponseStatus.UNAUTHORIZED, token.length == 0
                    ? "{\"error\":\"admin.token is not set, so only /healthz and /readyz are served\"}"
                    : "{\"error\":\"missing or wrong bearer token\"}");
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"edge-admin\"");
        } else if (path.equals("/metrics") && req.method().equals(HttpMethod.GET)) {
            response = text(registry.scrape());
        } else {
            response = json(HttpResponseStatus.NOT_FOUND, "{\"error\":\"no such admin call: " + path.replace("\"", "") + "\"}");
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(response, keepAlive);
        var f = ctx.writeAndFlush(response);
        if (!keepAlive) f.addListener(io.netty.channel.ChannelFutureListener.CLOSE);
    }

    private boolean authorized(FullHttpRequest req) {
        if (token.length == 0) return false;
        String header = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        return MessageDigest.isEqual(token, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    private static FullHttpResponse json(HttpResponseStatus status, String body) {
        return body(status, "application/json", body);
    }

    private static FullHttpResponse text(String body) {
        return body(HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8", body);
    }

    private static FullHttpResponse body(HttpResponseStatus status, String type, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return r;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("admin.error channel={} error=\"{}\"", ctx.channel().id(), cause.toString());
        ctx.close();
    }
}
