package dev.edgecache.proxy.pipeline;

import dev.edgecache.common.net.CidrSet;
import dev.edgecache.proxy.cache.ClientHop;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code tls.redirect-plain} (issue 13): on the plain HTTP/1.1 reader port, answers {@code GET} and {@code HEAD}
 * with {@code 308 Permanent Redirect} to {@code https://host[:tls-port]/path?query} (the port left out when it is
 * 443), without asking the cache or the origin. Left alone, and served as before:
 *
 * <ul>
 *   <li>other methods (a redirected {@code POST} would have its body sent twice, once in the clear);
 *   <li>requests from a {@code trusted-proxies} peer saying {@code X-Forwarded-Proto: https}: a TLS terminator in
 *       front of the plain port, which a redirect would send round in a loop;
 *   <li>{@code /.well-known/acme-challenge/}: certificate issuance over plain HTTP (RFC 8555 §8.3);
 *   <li>a request without a usable {@code Host} (HTTP/1.0 without one, or one that is not a host name or IP
 *       literal, so it is never echoed into {@code Location}) and absolute-form targets.
 * </ul>
 *
 * Only the plain reader port gets this handler: the TLS port, the admin port (health checks) and the cluster's
 * peer-fill port ({@code cluster.peer.listen}, a port of its own) never do. h2c streams are not redirected either.
 * The redirect is not stored, logged in the access log or counted as a cache outcome.
 *
 * <p>Pipeline position: after the validator, before the request handler. It asks for the next request itself after a
 * redirect ({@link PipelinedRequests} gives one per ask): a request that waited behind another is handed over outside
 * any read, so no read's end would make the request handler ask. Stateless and shared; event loop only.
 */
@ChannelHandler.Sharable
final class PlainRedirect extends ChannelInboundHandlerAdapter {
    static final String ACME_CHALLENGE = "/.well-known/acme-challenge/";
    /** A host name or an IP literal, with an optional port: nothing else is copied into {@code Location}. */
    private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(:\\d{1,5})?");

    private final IntSupplier tlsPort;
    private final CidrSet trustedProxies;

    /**
     * @param tlsPort the TLS reader port as bound
     * @param trustedProxies {@code trusted-proxies}, whose {@code X-Forwarded-Proto} is believed
     */
    PlainRedirect(IntSupplier tlsPort, CidrSet trustedProxies) {
        this.tlsPort = tlsPort;
        this.trustedProxies = trustedProxies;
    }

    @SuppressWarnings("FutureReturnValueIgnored") // a failed write closes the connection: nothing else to do
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        String location = msg instanceof FullHttpRequest req ? location(ctx, req) : null;
        if (location == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        ((FullHttpRequest) msg).release();
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.PERMANENT_REDIRECT);
        r.headers().set(HttpHeaderNames.LOCATION, location).setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        // the keep-alive handler ahead closes the connection when the request asked for it
        ctx.writeAndFlush(r);
        ctx.read(); // the next request: the request handler, which asks otherwise, never saw this one
    }

    /** Where {@code req} is redirected, or null when it is served as before. */
    @Nullable
    String location(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) return null;
        String target = req.uri();
        if (!target.startsWith("/") || target.startsWith(ACME_CHALLENGE)) return null;
        String host = req.headers().get(HttpHeaderNames.HOST);
        Matcher m = host == null ? null : HOST.matcher(host);
        if (m == null || !m.matches()) return null;
        String proto = req.headers().get("X-Forwarded-Proto");
        if (proto != null
                && proto.strip().toLowerCase(Locale.ROOT).startsWith("https")
                && ClientHop.of(ctx.channel().remoteAddress(), trustedProxies).trusted()) {
            return null;
        }
        int port = tlsPort.getAsInt();
        return "https://" + m.group(1) + (port == 443 ? "" : ":" + port) + target;
    }
}
