package dev.edgecache.proxy.pipeline;

import dev.edgecache.common.config.LimitsConfig;
import dev.edgecache.common.key.KeyRules;
import dev.edgecache.common.net.CidrSet;
import dev.edgecache.proxy.accesslog.AccessLog;
import dev.edgecache.proxy.cache.ClientHop;
import dev.edgecache.proxy.cache.PageCache;
import dev.edgecache.proxy.cache.RouteTable;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import io.micrometer.core.instrument.Counter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http3.Http3FrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The reader-side pipeline: a cap on connections per client address ({@code limits.max-connections-per-client}),
 * the idle timeout, a deadline for each request head ({@code limits.request-head-timeout}), HTTP/1.1 codec with
 * strict framing and the configured limits, keep-alive, request aggregation (bounded by {@code
 * limits.max-request-body}), one-request-at-a-time flow control, validation, and the request handler, which learns
 * here whether the peer is a trusted proxy ({@code trusted-proxies}). Shared across connections (it holds only
 * shared, thread-safe collaborators).
 */
public final class ClientChannelInitializer extends ChannelInitializer<SocketChannel> {
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final LimitsConfig limits;
    private final Supplier<RouteTable> routes;
    private final PageCache cache;
    private final ExchangeRecorder recorder;
    private final Duration originTimeout;
    private final KeyRules keyRules;
    private final CidrSet trustedProxies;
    private final ErrorPages errorPages;
    private final EdgeMetrics.ClientConnectionMeters connectionMeters;
    /** Open connections per client address; null when {@code limits.max-connections-per-client} is 0. */
    private final @Nullable ConnectionCounts connectionCounts;
    /** HTTP/2 with prior knowledge on this port ({@code tls.h2c}); null when off. */
    private final @Nullable ClientHttp2 h2c;
    /** {@code Strict-Transport-Security} for TLS connections ({@code tls.hsts}); null when off. */
    private final @Nullable StrictTransportSecurity hsts;
    /** {@code edge.http2.limit.closes} by reason (issue 13). */
    private final Map<String, Counter> http2LimitCloses;
    /** {@code SETTINGS_MAX_CONCURRENT_STREAMS} of h2c; 0 when h2c is off. */
    private final int h2cMaxConcurrentStreams;
    /** {@code tls.redirect-plain}: GET and HEAD on plain HTTP/1.1 answered 308 to the TLS port; null when off. */
    private final @Nullable PlainRedirect redirect;

    /** A pipeline that trusts no proxy's forwarding headers. */
    public ClientChannelInitializer(
            LimitsConfig limits,
            Supplier<RouteTable> routes,
            PageCache cache,
            EdgeMetrics metrics,
            Duration originTimeout,
            KeyRules keyRules) {
        this(
                limits,
                routes,
                cache,
                metrics,
                originTimeout,
                keyRules,
                CidrSet.EMPTY,
                AccessLog.off(),
                ErrorPages.builtIn());
    }

    /**
     * @param routes the current route table (replaced on reload)
     * @param originTimeout {@code origin.timeout}, the render deadline of routes without their own
     * @param keyRules the configured key normalisation
     * @param trustedProxies {@code trusted-proxies}: peers whose forwarding headers are believed
     * @param accessLog where each finished request is written, if anywhere
     * @param errorPages what readers get when the origin cannot answer */
    public ClientChannelInitializer(
            LimitsConfig limits,
            Supplier<RouteTable> routes,
            PageCache cache,
            EdgeMetrics metrics,
            Duration originTimeout,
            KeyRules keyRules,
            CidrSet trustedProxies,
            AccessLog accessLog,
            ErrorPages errorPages) {
        this.errorPages = errorPages;
        this.keyRules = keyRules;
        this.trustedProxies = trustedProxies;
        this.connectionMeters = metrics.clientConnectionMeters();
        int perClient = limits.maxConnectionsPerClient();
        this.connectionCounts = perClient == 0 ? null : new ConnectionCounts(perClient);
        this.limits = limits;
        this.routes = routes;
        this.cache = cache;
        this.recorder = new ExchangeRecorder(metrics, accessLog, cache::activeDeploy, cache.clock());
        this.originTimeout = originTimeout;
        this.h2c = null;
        this.hsts = null;
        this.http2LimitCloses = metrics.http2LimitCloses();
        this.h2cMaxConcurrentStreams = 0;
        this.redirect = null;
    }

    /**
     * The same pipeline, also accepting HTTP/2 with prior knowledge (h2c, issue 13's {@code tls.h2c}).
     *
     * @param maxConcurrentStreams streams one h2c connection may have open at once
     */
    public ClientChannelInitializer withH2c(int maxConcurrentStreams) {
        return new ClientChannelInitializer(this, maxConcurrentStreams, hsts, redirect);
    }

    /**
     * The same pipeline for the TLS port, adding {@code Strict-Transport-Security: value} ({@code tls.hsts}) to
     * every answer on a TLS connection (HTTP/1.1 and h2); plain connections never get it. Without h2c.
     */
    public ClientChannelInitializer withHsts(String value) {
        return new ClientChannelInitializer(this, 0, new StrictTransportSecurity(value), null);
    }

    /**
     * The same pipeline for the plain port with {@code tls.redirect-plain}: GET and HEAD over HTTP/1.1 are answered
     * {@code 308} to the TLS port ({@link PlainRedirect} says which are not).
     *
     * @param tlsPort the TLS reader port as bound
     */
    public ClientChannelInitializer withRedirectToTls(IntSupplier tlsPort) {
        return new ClientChannelInitializer(
                this, h2cMaxConcurrentStreams, hsts, new PlainRedirect(tlsPort, trustedProxies));
    }

    /** A copy of {@code plain} with h2c when {@code maxConcurrentStreams} is above 0, {@code hsts} and {@code redirect}. */
    private ClientChannelInitializer(
            ClientChannelInitializer plain,
            int maxConcurrentStreams,
            @Nullable StrictTransportSecurity hsts,
            @Nullable PlainRedirect redirect) {
        this.errorPages = plain.errorPages;
        this.keyRules = plain.keyRules;
        this.trustedProxies = plain.trustedProxies;
        this.connectionMeters = plain.connectionMeters;
        this.connectionCounts = plain.connectionCounts;
        this.limits = plain.limits;
        this.routes = plain.routes;
        this.cache = plain.cache;
        this.recorder = plain.recorder;
        this.originTimeout = plain.originTimeout;
        this.http2LimitCloses = plain.http2LimitCloses;
        this.hsts = hsts;
        this.redirect = redirect;
        this.h2cMaxConcurrentStreams = maxConcurrentStreams;
        this.h2c = maxConcurrentStreams > 0 ? new ClientHttp2(this, maxConcurrentStreams) : null;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        addConnectionGuards(p);
        if (h2c != null) p.addLast("priorKnowledge", new ClientPriorKnowledge(this, h2c));
        else addHttp1(p, ch, false);
    }

    /** The byte-level guards every reader connection starts with: the per-client cap and the idle timeout. */
    void addConnectionGuards(ChannelPipeline p) {
        if (connectionCounts != null) {
            p.addLast(
                    "perClient",
                    new ClientConnectionLimiter(connectionCounts, connectionMeters.refusedPerClient()::increment));
        }
        p.addLast("idle", new IdleStateHandler(0, 0, IDLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    }

    /**
     * The HTTP/1.1 handlers, from the first byte of a head to the request handler; after the TLS handler on the
     * TLS port (issue 13), so they see the same bytes as on the plain port.
     *
     * @param tls whether the connection came over TLS ({@code X-Forwarded-Proto: https})
     */
    void addHttp1(ChannelPipeline p, Channel ch, boolean tls) {
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxRequestLine().toIntExact())
                .setMaxHeaderSize(limits.maxHeaderSize().toIntExact())
                .setStrictLineParsing(true)
                .setUseRfc9112TransferEncoding(true)
                .setAllowDuplicateContentLengths(false);
        RequestHeadDeadline headDeadline =
                new RequestHeadDeadline(limits.requestHeadTimeout(), connectionMeters.headTimeouts()::increment);
        p.addLast("headStart", headDeadline.firstBytes());
        p.addLast("codec", new HttpServerCodec(decoder));
        if (tls && hsts != null) p.addLast("hsts", hsts); // next to the codec: every answer written passes it
        p.addLast("headDeadline", headDeadline);
        p.addLast("keepAlive", new HttpServerKeepAliveHandler());
        EarlyAnswers earlyAnswers = new EarlyAnswers(); // the aggregator's own answers, in the requests' order
        p.addLast("earlyAnswers", earlyAnswers);
        p.addLast("aggregator", earlyAnswers.aggregator(limits.maxRequestBody().toIntExact()));
        p.addLast("pipelined", new PipelinedRequests());
        p.addLast("validator", new ClientRequestValidator(recorder));
        if (!tls && redirect != null) p.addLast("redirect", redirect);
        p.addLast("handler", newRequestHandler(ch, tls));
    }

    /**
     * The handlers of one HTTP/2 stream (issue 13): its frames become one {@link
     * io.netty.handler.codec.http.FullHttpRequest} (bounded by {@code limits.max-request-body}) for the same
     * validator and request handler as HTTP/1.1, so every caching decision takes one code path.
     *
     * @param connection the h2 connection the stream belongs to (its peer is the reader)
     */
    void addHttp2Stream(ChannelPipeline p, Channel connection, boolean tls) {
        p.addLast("h2codec", new Http2StreamFrameToHttpObjectCodec(true));
        if (tls && hsts != null) p.addLast("hsts", hsts);
        p.addLast("aggregator", new HttpObjectAggregator(limits.maxRequestBody().toIntExact()));
        p.addLast("h2request", Http2RequestFields.INSTANCE);
        p.addLast("validator", new ClientRequestValidator(recorder));
        p.addLast("handler", newRequestHandler(connection, tls));
    }

    /**
     * The handlers of one HTTP/3 request stream (issue 13): Netty's HTTP/3 frames become one {@link
     * io.netty.handler.codec.http.FullHttpRequest} for the same validator and request handler as HTTP/1.1 and h2.
     *
     * @param reader the QUIC connection's peer (its UDP address), always over TLS
     */
    void addHttp3Stream(ChannelPipeline p, @Nullable SocketAddress reader) {
        p.addLast("h3errors", Http3StreamErrors.INSTANCE);
        p.addLast("h3codec", new Http3FrameToHttpObjectCodec(true));
        if (hsts != null) p.addLast("hsts", hsts); // QUIC is always TLS
        p.addLast("aggregator", new HttpObjectAggregator(limits.maxRequestBody().toIntExact()));
        p.addLast("h3fields", Http3StreamFields.INSTANCE);
        p.addLast("validator", new ClientRequestValidator(recorder));
        p.addLast("handler", newRequestHandler(reader, true));
    }

    private ClientRequestHandler newRequestHandler(Channel connection, boolean tls) {
        return newRequestHandler(connection.remoteAddress(), tls);
    }

    private ClientRequestHandler newRequestHandler(@Nullable SocketAddress reader, boolean tls) {
        return new ClientRequestHandler(
                routes,
                cache,
                recorder,
                originTimeout,
                keyRules,
                ClientHop.of(reader, trustedProxies, tls),
                errorPages);
    }

    LimitsConfig limits() {
        return limits;
    }

    /** {@code edge.http2.limit.closes} by reason, for {@link ClientHttp2}. */
    Map<String, Counter> http2LimitCloses() {
        return http2LimitCloses;
    }
}
