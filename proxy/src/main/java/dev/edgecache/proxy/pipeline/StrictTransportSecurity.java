package dev.edgecache.proxy.pipeline;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.AsciiString;

/**
 * Adds {@code Strict-Transport-Security} ({@code tls.hsts}, RFC 6797) to every final answer on the TLS port, as it
 * is written, so that the header is never part of a stored page (a page stored from a TLS request and later
 * served on plain HTTP carries none: RFC 6797 §7.2 says a plain-HTTP answer must not) and the value in force is
 * the configured one even when the origin sent its own. Only the TLS port's pipelines get it (HTTP/1.1 after the
 * codec, HTTP/2 and HTTP/3 per stream after the frame-to-object codec). Stateless and shared.
 */
@ChannelHandler.Sharable
final class StrictTransportSecurity extends ChannelOutboundHandlerAdapter {
    static final AsciiString HEADER = AsciiString.cached("strict-transport-security");
    private final String value;

    /** @param value the header value, e.g. {@code max-age=31536000; includeSubDomains} */
    StrictTransportSecurity(String value) {
        this.value = value;
    }

    @SuppressWarnings("FutureReturnValueIgnored") // the promise passed on carries the outcome
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        FinalResponseHeader.set(msg, HEADER, value);
        ctx.write(msg, promise);
    }
}
