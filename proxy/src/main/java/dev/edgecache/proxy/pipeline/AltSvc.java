package dev.edgecache.proxy.pipeline;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import org.jspecify.annotations.Nullable;

/**
 * Advertises HTTP/3 to readers of the TLS port (issue 13, {@code tls.http3}): {@code Alt-Svc: h3=":PORT";
 * ma=86400} (RFC 7838, RFC 9114 §3.1.1) on every final response, HTTP/1.1 and h2, once the QUIC port listens ({@link
 * #advertise(int)}). Added on the way out, after the cache made the response, so it is never stored with a page
 * and always names this edge's port; an origin's own {@code Alt-Svc} is replaced (it names the origin's services,
 * not the edge's).
 *
 * <p>Pipeline position: on HTTP/1.1 between the codec and the request handler (sees {@link HttpResponse}); on h2
 * between the frame codec and the stream multiplexer (sees {@link Http2HeadersFrame}s of every stream; trailers,
 * which carry no {@code :status}, are left alone). Thread-safe and shared by all connections of the port.
 */
@ChannelHandler.Sharable
public final class AltSvc extends ChannelOutboundHandlerAdapter {
    /** A day, as browsers commonly expect; a restart without HTTP/3 costs readers one failed QUIC attempt each. */
    static final int MAX_AGE_SECONDS = 86_400;

    private volatile @Nullable String value;

    /** From now on, responses name {@code udpPort} as this edge's HTTP/3 port. */
    public void advertise(int udpPort) {
        value = "h3=\":" + udpPort + "\"; ma=" + MAX_AGE_SECONDS;
    }

    /** What responses carry now; null until {@link #advertise(int)}. */
    public @Nullable String value() {
        return value;
    }

    @SuppressWarnings("FutureReturnValueIgnored") // a pass-through write: its promise carries the outcome
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        String v = value;
        if (v != null) FinalResponseHeader.set(msg, HttpHeaderNames.ALT_SVC, v);
        ctx.write(msg, promise);
    }
}
