package dev.edgecache.proxy.origin;

import dev.edgecache.common.config.OriginConfig;
import dev.edgecache.common.store.Header;
import dev.edgecache.proxy.internal.Buffers;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A pooled keep-alive HTTP/1.1 client for the one origin. Each event loop has its own pool of idle
 * connections, touched only on that loop, so a client connection's origin traffic stays on its own thread and
 * the pool needs no locks. A request gets {@code origin.timeout} from start to complete response (connect
 * included); a GET or HEAD that finds its pooled connection closed by the origin is retried once on a fresh one.
 * A connection goes back to the pool only when nothing casts doubt on its framing (issue 8: see {@link
 * OriginConnectionGuard} and {@link OriginResponseHandler}), so one request's bytes can never answer another's.
 *
 * <p>Thread-safe: {@link #send} may be called from any thread. Does not own the event loops.
 */
public final class OriginClient {
    private final OriginConfig config;
    private final EdgeMetrics metrics;
    private final Bootstrap bootstrap;
    private final Map<EventLoop, ArrayDeque<Channel>> idle = new ConcurrentHashMap<>();
    /** For readiness: when the origin last answered, and when a connect to it last failed (nanoTime, 0 = never). */
    private volatile long lastAnswerNanos;

    private volatile long lastConnectFailureNanos;

    private final CircuitBreaker circuit;
    private final LongSupplier nanoTime;
    /** When a pooled connection went idle ({@link #nanoTime}). */
    private static final AttributeKey<Long> IDLE_SINCE = AttributeKey.valueOf("edge.origin.idle-since");

    public OriginClient(OriginConfig config, Class<? extends SocketChannel> channelType, EdgeMetrics metrics) {
        this(config, channelType, metrics, System::nanoTime);
    }

    /** @param nanoTime the monotonic clock idle connections are aged by (a test moves it) */
    OriginClient(
            OriginConfig config,
            Class<? extends SocketChannel> channelType,
            EdgeMetrics metrics,
            LongSupplier nanoTime) {
        this.config = config;
        this.nanoTime = nanoTime;
        this.metrics = metrics;
        this.circuit = new CircuitBreaker(config.circuitFailures(), config.circuitOpen(), System::nanoTime);
        metrics.monitorCircuit(circuit);
        OriginClient self = this;
        this.bootstrap = new Bootstrap()
                .channel(channelType)
                .option(
                        ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        Math.toIntExact(config.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, Buffers.ALLOCATOR)
                .remoteAddress(config.host(), config.port())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        "guard",
                                        new OriginConnectionGuard(
                                                () -> metrics.originConnectionDropped("unsolicited-bytes")))
                                .addLast("codec", new HttpClientCodec())
                                .addLast("switch-guard", new OriginProtocolSwitchGuard())
                                .addLast(
                                        "aggregator",
                                        new HttpObjectAggregator(Math.toIntExact(Math.min(
                                                Integer.MAX_VALUE,
                                                config.maxResponseSize().bytes()))))
                                .addLast("response", new OriginResponseHandler(self));
                    }
                });
    }

    /**
     * Sends {@code request} on {@code loop} (the calling client connection's loop). The future completes on that
     * loop, exceptionally with an {@link OriginException} on failure.
     */
    public CompletableFuture<OriginResponse> send(OriginRequest request, EventLoop loop) {
        return send(request, loop, config.timeout());
    }

    /** As {@link #send(OriginRequest, EventLoop)}, with a deadline other than {@code origin.timeout}. */
    public CompletableFuture<OriginResponse> send(OriginRequest request, EventLoop loop, Duration timeout) {
        if (!circuit.tryAcquire()) {
            metrics.originHeldBack("circuit-open");
            return CompletableFuture.failedFuture(new OriginException(
                    OriginException.Kind.HELD_BACK, "the origin's circuit is open after repeated failures"));
        }
        OriginExchange exchange = new OriginExchange(request, System.nanoTime());
        if (loop.inEventLoop()) start(exchange, loop, timeout);
        else loop.execute(() -> start(exchange, loop, timeout));
        return exchange.result.whenComplete((r, e) -> {
            if (r != null && r.status() >= 502 && r.status() <= 504) circuit.onFailure(); // its gateway says so
            else if (r != null) circuit.onSuccess();
            else circuit.onFailure();
            if (r != null) {
                lastAnswerNanos = System.nanoTime();
                metrics.originResponse(lastAnswerNanos - exchange.startNanos);
            } else {
                boolean connect = e instanceof OriginException oe && oe.kind() == OriginException.Kind.CONNECT;
                if (connect) lastConnectFailureNanos = System.nanoTime();
                metrics.originFailure(e instanceof OriginException oe && oe.isTimeout());
            }
        });
    }

    /**
     * For {@code /readyz}: {@code reachable}, {@code unreachable} (the last connect failed and nothing answered since)
     * or {@code circuit-open}, and how long ago the origin last answered (null if never).
     */
    public Map<String, @Nullable Object> health() {
        Map<String, @Nullable Object> out = new java.util.LinkedHashMap<>();
        String status = circuit.state() == CircuitBreaker.State.OPEN
                ? "circuit-open"
                : recentlyReachable() ? "reachable" : "unreachable";
        out.put("status", status);
        long last = lastAnswerNanos;
        out.put("last-answer-ms-ago", last == 0 ? null : (System.nanoTime() - last) / 1_000_000);
        return out;
    }

    /** False while the last attempt to reach the origin failed to connect and nothing answered since. */
    public boolean recentlyReachable() {
        long failed = lastConnectFailureNanos;
        return failed == 0 || lastAnswerNanos - failed > 0;
    }

    @SuppressWarnings("FutureReturnValueIgnored") // Netty: close() and listener-handled writes
    private void start(OriginExchange exchange, EventLoop loop, Duration timeout) {
        exchange.deadline = loop.schedule(
                () -> {
                    exchange.fail(new OriginException(
                            OriginException.Kind.TIMEOUT, "origin did not answer within " + timeout.toMillis() + "ms"));
                    if (exchange.connection != null) exchange.connection.close();
                },
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        attempt(exchange, loop, true);
    }

    @SuppressWarnings("FutureReturnValueIgnored") // Netty: close() and listener-handled writes
    private void attempt(OriginExchange exchange, EventLoop loop, boolean mayUsePool) {
        Channel pooled = mayUsePool ? pollIdle(loop) : null;
        if (pooled != null) {
            exchange.reusedConnection = true;
            write(pooled, exchange, loop);
            return;
        }
        exchange.reusedConnection = false;
        ChannelFuture connect = bootstrap.clone(loop).connect();
        connect.addListener(f -> {
            if (exchange.isDone()) {
                connect.channel().close();
            } else if (f.isSuccess()) {
                write(connect.channel(), exchange, loop);
            } else {
                exchange.fail(new OriginException(
                        OriginException.Kind.CONNECT,
                        "cannot connect to origin " + config.authority() + ": "
                                + f.cause().getMessage(),
                        f.cause()));
            }
        });
    }

    @SuppressWarnings("FutureReturnValueIgnored") // Netty: close() and listener-handled writes
    private void write(Channel ch, OriginExchange exchange, EventLoop loop) {
        // a pooled connection that the origin closed while idle fails before any byte comes back: retry once fresh
        exchange.retry = exchange.reusedConnection && exchange.request.isIdempotent()
                ? () -> attempt(exchange, loop, false)
                : null;
        exchange.connection = ch;
        ch.pipeline().get(OriginResponseHandler.class).expect(exchange);
        ch.pipeline().get(OriginConnectionGuard.class).requestSent();
        ch.writeAndFlush(toNetty(exchange.request)).addListener(f -> {
            if (f.isSuccess()) exchange.requestWritten = true;
            else ch.close(); // channelInactive then fails or retries the exchange
        });
    }

    /** Counts an origin connection closed because its framing was in doubt ({@link EdgeMetrics}). */
    void dropped(String reason) {
        metrics.originConnectionDropped(reason);
    }

    /** Called by the response handler on the connection's loop when a keep-alive response has been read. */
    @SuppressWarnings("FutureReturnValueIgnored") // Netty: close() and listener-handled writes
    void release(Channel ch) {
        ArrayDeque<Channel> pool = idle.computeIfAbsent(ch.eventLoop(), l -> new ArrayDeque<>());
        if (pool.size() >= config.maxConnections() || config.keepaliveTimeout().isZero()) {
            ch.close();
        } else {
            ch.attr(IDLE_SINCE).set(nanoTime.getAsLong());
            pool.push(ch);
        }
    }

    @SuppressWarnings("FutureReturnValueIgnored") // Netty close(): nothing to do when a close fails
    private @Nullable Channel pollIdle(EventLoop loop) {
        ArrayDeque<Channel> pool = idle.get(loop);
        if (pool == null) return null;
        Channel ch;
        long now = nanoTime.getAsLong();
        long maxIdle = config.keepaliveTimeout().toNanos();
        while ((ch = pool.poll()) != null) {
            Long since = ch.attr(IDLE_SINCE).get();
            if (ch.isActive() && since != null && now - since < maxIdle) return ch;
            ch.close(); // closed by the origin, or so old that the origin may be closing it right now
        }
        return null;
    }

    private FullHttpRequest toNetty(OriginRequest r) {
        FullHttpRequest req = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, HttpMethod.valueOf(r.method()), r.target(), Unpooled.wrappedBuffer(r.body()));
        for (Header h : r.headers()) req.headers().add(h.name(), h.value());
        req.headers().set(HttpHeaderNames.HOST, config.authority());
        if (r.body().length > 0 || !r.isIdempotent())
            req.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        return req;
    }

    /** Closes idle pooled connections; in-flight ones end with their exchanges. */
    @SuppressWarnings("FutureReturnValueIgnored") // Netty: close() and listener-handled writes
    public void closeIdle() {
        idle.forEach((loop, pool) -> loop.execute(() -> {
            Channel ch;
            while ((ch = pool.poll()) != null) ch.close();
        }));
    }
}
