package dev.edgecache.proxy.pipeline;

import dev.edgecache.common.config.LimitsConfig;
import dev.edgecache.common.key.KeyRules;
import dev.edgecache.proxy.cache.PageCache;
import dev.edgecache.proxy.cache.RouteTable;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The reader-side pipeline: HTTP/1.1 codec with strict framing and the configured limits, keep-alive, request
 * aggregation (bounded by {@code limits.max-request-body}), one-request-at-a-time flow control, validation, and
 * the request handler. Shared across connections (it holds only shared, thread-safe collaborators).
 */
public final class ClientChannelInitializer extends ChannelInitializer<SocketChannel> {
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final LimitsConfig limits;
    private final Supplier<RouteTable> routes;
    private final PageCache cache;
    private final ExchangeRecorder recorder;
    private final Duration originTimeout;
    private final KeyRules keyRules;

    /**
     * @param routes the current route table (replaced on reload)
     * @param originTimeout {@code origin.timeout}, the render deadline of routes without their own
     * @param keyRules the configured key normalisation */
    public ClientChannelInitializer(
            LimitsConfig limits,
            Supplier<RouteTable> routes,
            PageCache cache,
            EdgeMetrics metrics,
            Duration originTimeout,
            KeyRules keyRules) {
        this.keyRules = keyRules;
        this.limits = limits;
        this.routes = routes;
        this.cache = cache;
        this.recorder = new ExchangeRecorder(metrics);
        this.originTimeout = originTimeout;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxRequestLine().toIntExact())
                .setMaxHeaderSize(limits.maxHeaderSize().toIntExact())
                .setStrictLineParsing(true)
                .setUseRfc9112TransferEncoding(true)
                .setAllowDuplicateContentLengths(false);
        ChannelPipeline p = ch.pipeline();
        p.addLast("idle", new IdleStateHandler(0, 0, IDLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        p.addLast("codec", new HttpServerCodec(decoder));
        p.addLast("keepAlive", new HttpServerKeepAliveHandler());
        p.addLast("aggregator", new HttpObjectAggregator(limits.maxRequestBody().toIntExact()));
        p.addLast("flow", new FlowControlHandler());
        p.addLast("validator", new ClientRequestValidator(recorder));
        p.addLast("handler", new ClientRequestHandler(routes, cache, recorder, originTimeout, keyRules));
    }
}
