package dev.edgecache.proxy.pipeline;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import io.netty.handler.logging.LogLevel;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader side of an HTTP/2 connection (issue 13): Netty's frame codec, with the limits against the known h2
 * attacks, and a multiplexer that gives each stream its own child channel running the same request handlers as
 * HTTP/1.1 ({@link ClientChannelInitializer#addHttp2Stream}).
 *
 * <p>Limits, all enforced by Netty's codec; a peer that passes one gets a GOAWAY and the connection is closed,
 * while other connections go on being served:
 *
 * <ul>
 *   <li>{@code SETTINGS_MAX_CONCURRENT_STREAMS} = {@code tls.http2-max-concurrent-streams}; a stream past it is
 *       refused (RST_STREAM REFUSED_STREAM);
 *   <li>{@code SETTINGS_MAX_HEADER_LIST_SIZE} = {@code limits.max-header-size}: a header block past it (also one
 *       spread over CONTINUATION frames, CVE-2024-27316) is refused while it is read, not buffered whole;
 *   <li>rapid reset (CVE-2023-44487): more than {@value #MAX_RST_FRAMES} RST_STREAM frames from the peer in {@value
 *       #RST_WINDOW_SECONDS} s close the connection; the same bound on resets the edge is made to send (the 2025
 *       "MadeYouReset" variant);
 *   <li>CONTINUATION floods of tiny frames: at most {@value #MAX_SMALL_CONTINUATION_FRAMES} small ones per block;
 *   <li>SETTINGS and PING floods: at most {@value #MAX_QUEUED_CONTROL_FRAMES} control-frame answers queued for a
 *       peer that does not read them;
 *   <li>empty DATA frames: at most {@value #MAX_EMPTY_DATA_FRAMES} in a row.
 * </ul>
 *
 * <p>Each connection closed for passing one of these limits counts in {@code
 * edge.http2.limit.closes{reason}} ({@link LimitCloses}).
 *
 * <p>Thread-safe: holds only configuration; {@link #configure} is called on the connection's event loop.
 */
final class ClientHttp2 {
    private static final Logger log = LoggerFactory.getLogger(ClientHttp2.class);
    static final int MAX_RST_FRAMES = 200;
    static final int RST_WINDOW_SECONDS = 30;
    static final int MAX_SMALL_CONTINUATION_FRAMES = 16;
    static final int MAX_QUEUED_CONTROL_FRAMES = 1_000;
    static final int MAX_EMPTY_DATA_FRAMES = 2;

    private final ClientChannelInitializer http;
    private final int maxConcurrentStreams;
    private final LimitCloses limitCloses;

    ClientHttp2(ClientChannelInitializer http, int maxConcurrentStreams) {
        this.http = http;
        this.maxConcurrentStreams = maxConcurrentStreams;
        this.limitCloses = new LimitCloses(http.http2LimitCloses());
    }

    /** Turns {@code p} of {@code connection} into an h2 server pipeline after whatever is in it (TLS, guards). */
    void configure(ChannelPipeline p, Channel connection, boolean tls) {
        p.addLast("h2", newFrameCodec());
        p.addLast("h2streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                http.addHttp2Stream(stream.pipeline(), connection, tls);
            }
        }));
        p.addLast("h2guard", new ConnectionEnd());
    }

    Http2FrameCodec newFrameCodec() {
        Http2Settings settings = Http2Settings.defaultSettings()
                .maxConcurrentStreams(maxConcurrentStreams)
                .maxHeaderListSize(http.limits().maxHeaderSize().bytes());
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(settings)
                .validateHeaders(true)
                .decoderEnforceMaxRstFramesPerWindow(MAX_RST_FRAMES, RST_WINDOW_SECONDS)
                .encoderEnforceMaxRstFramesPerWindow(MAX_RST_FRAMES, RST_WINDOW_SECONDS)
                .decoderEnforceMaxSmallContinuationFrames(MAX_SMALL_CONTINUATION_FRAMES)
                .encoderEnforceMaxQueuedControlFrames(MAX_QUEUED_CONTROL_FRAMES)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(MAX_EMPTY_DATA_FRAMES)
                .frameLogger(limitCloses)
                .build();
        // responses are written whole, one stream at a time, and no reader uses h2 priorities (RFC 9113 deprecated
        // them): the uniform distributor skips the weighted tree walk Netty's default does for every write
        Http2Connection connection = codec.connection();
        connection
                .remote()
                .flowController(
                        new DefaultHttp2RemoteFlowController(connection, new UniformStreamByteDistributor(connection)));
        return codec;
    }

    /**
     * Counts the GOAWAY frames the edge sends with {@code ENHANCE_YOUR_CALM} ({@code edge.http2.limit.closes}), by
     * the limit their debug data names (Netty's codec writes the exception's message there). Sent GOAWAY is where
     * every limit ends, inbound (rapid reset, CONTINUATION, empty DATA) or outbound (control frames queued for a
     * peer that does not read, which never reaches a handler's {@code exceptionCaught}), so it is counted there. Logs
     * nothing itself: Netty's per-frame logging stays off (TRACE). Shared across connections.
     */
    @ChannelHandler.Sharable
    static final class LimitCloses extends Http2FrameLogger {
        private final Map<String, Counter> counters;

        LimitCloses(Map<String, Counter> counters) {
            super(LogLevel.TRACE, ClientHttp2.class);
            this.counters = counters;
        }

        @Override
        public void logGoAway(
                Direction direction, ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
            if (direction == Direction.OUTBOUND && errorCode == Http2Error.ENHANCE_YOUR_CALM.code()) {
                String reason = reason(debugData.toString(StandardCharsets.UTF_8));
                Counter counter = counters.get(reason);
                if (counter != null) counter.increment();
                log.debug(
                        "client.h2-limit channel={} remote={} reason={}",
                        ctx.channel().id(),
                        ctx.channel().remoteAddress(),
                        reason);
            }
            super.logGoAway(direction, ctx, lastStreamId, errorCode, debugData);
        }

        /** The limit a GOAWAY's debug data (Netty's message) names. */
        static String reason(String message) {
            if (message.contains("RST frames")) return "rapid-reset";
            if (message.contains("continuation")) return "continuation-flood";
            if (message.contains("control frames")) return "control-frame-flood";
            if (message.contains("empty data frames")) return "empty-data-flood";
            return "other";
        }
    }

    /**
     * Last in an h2 connection's pipeline, where the request handler is on HTTP/1.1: closes a connection idle for
     * the idle timeout, and logs (at DEBUG: peers reset connections all the time) and closes on an error that
     * reached it, unless it is an h2 protocol error, which the frame codec answers itself.
     */
    static final class ConnectionEnd extends ChannelInboundHandlerAdapter {
        @SuppressWarnings("FutureReturnValueIgnored") // Netty close(): nothing to do when a close fails
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) ctx.close();
            else ctx.fireUserEventTriggered(evt);
        }

        @SuppressWarnings("FutureReturnValueIgnored") // Netty close(): nothing to do when a close fails
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug(
                    "client.h2-error channel={} remote={} error=\"{}\"",
                    ctx.channel().id(),
                    ctx.channel().remoteAddress(),
                    cause.toString());
            // an h2 protocol error (a limit passed, a malformed frame): the frame codec sends GOAWAY with its code and
            // closes right after telling us; closing first would send GOAWAY NO_ERROR instead
            if (!(cause instanceof Http2Exception)) ctx.close();
        }
    }
}
