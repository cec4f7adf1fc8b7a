package dev.edgecache.proxy.origin;

import dev.edgecache.common.store.Header;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Last handler of an origin connection: completes the one in-flight {@link OriginExchange} with the aggregated
 * response, copied into heap arrays, then gives the connection back to the pool or closes it.
 *
 * <p><b>Interim responses</b> (RFC 9110 §15.2, issue 11). {@code 102 Processing}, {@code 103 Early Hints} and any
 * other 1xx but 100 and 101 are handed to the request's {@link OriginRequest#interim} sink (a proxy MUST forward
 * them to its client), then the final response follows on the same exchange; {@code 100 Continue} answers an
 * {@code Expect} the edge never sends, so it is dropped. Netty's codec decodes each as a
 * message of its own (without consuming the request's place in its method queue, so a HEAD's final response is still
 * read as bodiless) and the aggregator emits it as a separate, empty response, so an interim response's fields (a
 * 103's {@code Link}) never reach the final response, nor the store. At most {@value #MAX_INTERIM} are accepted per
 * exchange: an origin sending more is broken or hostile, and the exchange fails as a protocol error rather than wait
 * for its deadline. A {@code 101 Switching Protocols} the edge never asked for (it sends no {@code Upgrade}) means the
 * connection no longer speaks HTTP/1.1: it is closed and the exchange fails as an origin protocol error (502), never
 * stored ({@link OriginProtocolSwitchGuard} catches it as soon as its head is decoded; the branch here is a second
 * line). A 1xx with no exchange outstanding is unsolicited, like any other response then.
 *
 * <p>Pipeline position: after {@code HttpClientCodec} and {@code HttpObjectAggregator}; consumes {@link
 * FullHttpResponse} (auto-released). All methods run on the connection's event loop.
 */
final class OriginResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    /** Interim responses accepted before the final one of an exchange. */
    static final int MAX_INTERIM = 8;

    private final OriginClient client;
    private @Nullable OriginExchange pending;
    /** Interim responses received for {@link #pending}. */
    private int interim;

    OriginResponseHandler(OriginClient client) {
        this.client = client;
    }

    void expect(OriginExchange exchange) {
        this.pending = exchange;
        this.interim = 0;
    }

    @SuppressWarnings("FutureReturnValueIgnored") // Netty close(): nothing to do when a close fails
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
        int status = msg.status().code();
        if (status >= 100 && status < 200 && status != 101 && pending != null) { // interim: the final one follows
            if (++interim <= MAX_INTERIM) {
                Consumer<OriginResponse> sink = pending.request.interim();
                if (sink != null && status != 100) sink.accept(new OriginResponse(status, headersOf(msg), new byte[0]));
                return;
            }
            ctx.close();
            failPending(new OriginException(
                    OriginException.Kind.PROTOCOL, "origin sent more than " + MAX_INTERIM + " interim responses"));
            return;
        }
        OriginExchange exchange = pending;
        pending = null;
        ctx.pipeline().get(OriginConnectionGuard.class).responseEnded();
        if (exchange == null) { // unsolicited response: the connection is out of step, drop it
            client.dropped("unsolicited-bytes");
            ctx.close();
            return;
        }
        if (status == 101) { // nobody asked to switch protocols: the connection no longer speaks HTTP to us
            ctx.close();
            exchange.fail(new OriginException(OriginException.Kind.PROTOCOL, "origin switched protocols unasked"));
            return;
        }
        if (!msg.decoderResult().isSuccess()) {
            // on a pooled connection the garbage may be what an earlier response left behind (a body longer than
            // its Content-Length, decoded as the start of this one): a GET or HEAD gets one try on a new connection
            ctx.close();
            if (!exchange.retryAfterClose())
                exchange.fail(new OriginException(
                        OriginException.Kind.PROTOCOL,
                        "malformed origin response",
                        msg.decoderResult().cause()));
            return;
        }
        OriginResponse response =
                new OriginResponse(msg.status().code(), headersOf(msg), ByteBufUtil.getBytes(msg.content()));
        boolean completed = exchange.complete(response); // false if the deadline passed first
        String doubt = framingDoubt(exchange, status);
        if (doubt != null) client.dropped(doubt);
        boolean reusable = completed && doubt == null && HttpUtil.isKeepAlive(msg);
        if (reusable) client.release(ctx.channel());
        else ctx.close();
    }

    private static List<Header> headersOf(FullHttpResponse msg) {
        List<Header> headers = new ArrayList<>(msg.headers().size());
        for (Map.Entry<String, String> h : msg.headers()) headers.add(new Header(h.getKey(), h.getValue()));
        return headers;
    }

    /**
     * Why the connection must not carry another request although the response itself was well framed (issue 8), or
     * null. An origin that answered before the whole request was written, or refused a request with a body, may not
     * have read that body, and would take what is left of it for the next request.
     */
    private static @Nullable String framingDoubt(OriginExchange exchange, int status) {
        if (!exchange.requestWritten) return "early-response";
        if (exchange.request.body().length > 0 && status >= 400) return "unread-body";
        return null;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        OriginExchange exchange = pending;
        pending = null;
        if (exchange != null && !exchange.retryAfterClose()) {
            exchange.fail(new OriginException(OriginException.Kind.CLOSED, "origin closed the connection"));
        }
        ctx.fireChannelInactive();
    }

    @SuppressWarnings("FutureReturnValueIgnored") // Netty close(): nothing to do when a close fails
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        boolean tooLarge = cause instanceof TooLongFrameException;
        OriginExchange exchange = pending;
        // a reset on a pooled connection is a close the edge had not seen yet: retried as one (GET and HEAD, once)
        if (cause instanceof IOException && exchange != null && exchange.retryAfterClose()) {
            pending = null;
            ctx.close();
            return;
        }
        failPending(new OriginException(
                OriginException.Kind.PROTOCOL,
                tooLarge ? "origin response too large" : "origin connection failed: " + cause.getMessage(),
                cause));
        ctx.close();
    }

    private void failPending(OriginException e) {
        OriginExchange exchange = pending;
        pending = null;
        if (exchange != null) exchange.fail(e);
    }
}
