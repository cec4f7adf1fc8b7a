package dev.edgecache.proxy.pipeline;

import dev.edgecache.proxy.metrics.Outcome;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rejects requests the edge must not forward (RFC 9112): undecodable framing or headers, {@code Content-Length}
 * together with {@code Transfer-Encoding}, several {@code Content-Length} or {@code Host} fields, a missing
 * {@code Host} on HTTP/1.1. It answers 400, or 414 for a request line over {@code limits.max-request-line} and
 * 431 for headers over {@code limits.max-header-size}, then closes the connection: after bad framing the
 * rest of the byte stream cannot be trusted. Valid requests pass on untouched.
 *
 * <p>Pipeline position: after the aggregator; consumes and produces {@link FullHttpRequest}. Event loop only.
 */
final class ClientRequestValidator extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientRequestValidator.class);
    private final ExchangeRecorder recorder;

    ClientRequestValidator(ExchangeRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String problem;
        HttpResponseStatus status = HttpResponseStatus.BAD_REQUEST;
        try {
            DecoderResult result = req.decoderResult();
            if (result.isFailure()) {
                Throwable cause = result.cause();
                if (cause instanceof TooLongHttpLineException) status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
                else if (cause instanceof TooLongHttpHeaderException) {
                    status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
                }
                problem = cause == null ? "malformed request" : "malformed request: " + cause.getMessage();
            } else {
                problem = framingProblem(req);
            }
        } catch (RuntimeException e) {
            req.release();
            throw e;
        }
        if (problem == null) {
            ctx.fireChannelRead(req);
            return;
        }
        req.release();
        log.debug(
                "client.reject channel={} status={} problem=\"{}\"",
                ctx.channel().id(),
                status.code(),
                problem);
        recorder.rejected(Outcome.CLIENT_BAD_REQUEST);
        FullHttpResponse response = ResponseFactory.error(status, problem, Outcome.CLIENT_BAD_REQUEST);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static @Nullable String framingProblem(FullHttpRequest req) {
        var h = req.headers();
        if (h.contains(HttpHeaderNames.TRANSFER_ENCODING) && h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            return "both Content-Length and Transfer-Encoding"; // RFC 9112 §6.1: request smuggling vector
        }
        if (h.getAll(HttpHeaderNames.CONTENT_LENGTH).size() > 1) return "repeated Content-Length";
        if (h.getAll(HttpHeaderNames.TRANSFER_ENCODING).size() > 1) return "repeated Transfer-Encoding";
        int hosts = h.getAll(HttpHeaderNames.HOST).size();
        if (hosts > 1) return "repeated Host"; // RFC 9112 §3.2
        if (hosts == 0 && req.protocolVersion().equals(HttpVersion.HTTP_1_1)) return "missing Host";
        String host = h.get(HttpHeaderNames.HOST);
        if (host != null && !isHostSyntax(host)) return "malformed Host";
        return null;
    }

    /** RFC 9110 §7.2 / RFC 3986 §3.2.2 characters (reg-name, IP literal, port); a loop, as this runs per request. */
    private static boolean isHostSyntax(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "-._~:[]%!$&'()*+,;=".indexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }
}
