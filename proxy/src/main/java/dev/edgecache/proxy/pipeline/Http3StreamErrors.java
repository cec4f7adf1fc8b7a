package dev.edgecache.proxy.pipeline;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http3.Http3Exception;
import io.netty.handler.codec.quic.QuicException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs at DEBUG the HTTP/3 and QUIC errors of a request stream (issue 13) and stops them there. Netty's HTTP/3
 * codec has already answered them (a stream or connection error with its code, e.g. {@code H3_EXCESSIVE_LOAD} for a
 * header section past the limit); the frame-to-HTTP/1 codec next in line would log each at ERROR with a stack
 * trace, which lets any reader write the edge's error log at will. Peers misbehave all the time: like h2 protocol
 * errors ({@link ClientHttp2.ConnectionEnd}), not worth more than DEBUG.
 *
 * <p>Pipeline position: an HTTP/3 stream's pipeline, first of the edge's handlers (right after Netty's frame codec
 * and validators). Stateless and shared.
 */
@ChannelHandler.Sharable
final class Http3StreamErrors extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(Http3StreamErrors.class);
    static final Http3StreamErrors INSTANCE = new Http3StreamErrors();

    private Http3StreamErrors() {}

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Http3Exception || cause instanceof QuicException) {
            log.debug(
                    "client.h3-error channel={} remote={} error=\"{}\"",
                    ctx.channel().id(),
                    ctx.channel().parent() == null
                            ? null
                            : ctx.channel().parent().remoteAddress(),
                    cause.toString());
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }
}
