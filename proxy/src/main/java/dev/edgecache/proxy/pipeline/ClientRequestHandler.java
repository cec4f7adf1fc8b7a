package dev.edgecache.proxy.pipeline;

import dev.edgecache.common.config.ClientRevalidate;
import dev.edgecache.common.http.CacheControl;
import dev.edgecache.common.key.BadRequestTargetException;
import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.key.KeyRules;
import dev.edgecache.common.key.MisdirectedRequestException;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.cache.ClientHop;
import dev.edgecache.proxy.cache.Invalidation;
import dev.edgecache.proxy.cache.OriginRequests;
import dev.edgecache.proxy.cache.PageCache;
import dev.edgecache.proxy.cache.Route;
import dev.edgecache.proxy.cache.RouteTable;
import dev.edgecache.proxy.cache.Variants;
import dev.edgecache.proxy.metrics.Outcome;
import dev.edgecache.proxy.origin.OriginRequest;
import dev.edgecache.proxy.store.HotEntry;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.IllegalReferenceCountException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers readers' requests: routes them, serves cacheable GET and HEAD from the {@link PageCache} (a fresh memory
 * hit here on the event loop; disk, stale copies and the origin through a {@link CacheableExchange}) and forwards
 * everything else.
 *
 * <p>Pipeline position: last, after {@link ClientRequestValidator}; consumes {@link FullHttpRequest} (released on
 * return, so nothing of it is kept past {@code channelRead0}). Requests are handled one at a time per connection:
 * auto-read is off and the next request is read only once the previous response is written, which keeps
 * pipelined responses in order. All methods run on the connection's event loop; callbacks hop back to it.
 */
final class ClientRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> implements Responder {
    private static final Logger log = LoggerFactory.getLogger(ClientRequestHandler.class);
    /**
     * Origin-to-edge endpoints ({@code /_edge/critical}, {@code /_edge/health}): the edge reaches them on the origin
     * directly (deploys), readers never (issue 10). Matched on the normalised path, so {@code //_edge/} or
     * {@code /%5Fedge/} cannot slip past.
     */
    static final String INTERNAL_PREFIX = "/_edge/";

    /** Never forwarded from the reader port: cache control belongs to the admin port; TRACE and CONNECT are unsafe. */
    private static final Set<String> REFUSED_METHODS = Set.of("PURGE", "BAN", "TRACE", "CONNECT");

    private final Supplier<RouteTable> routes;
    private final PageCache cache;
    private final ExchangeRecorder recorder;
    /** {@code origin.timeout}: how long a render may take unless its route says otherwise. */
    private final Duration originTimeout;

    private final KeyRules keyRules;
    /** The connection's peer, and whether its forwarding headers are believed ({@code trusted-proxies}). */
    private final ClientHop hop;

    private final ErrorPages errorPages;
    /** A read() was issued and no request has answered it yet. */
    private boolean readRequested;
    /** A request is being answered; the next one is not read until its response is written. */
    private boolean inFlight;
    /** Counts the connection's requests, so that a late interim response never reaches a later request. */
    private long requestNumber;

    ClientRequestHandler(
            Supplier<RouteTable> routes,
            PageCache cache,
            ExchangeRecorder recorder,
            Duration originTimeout,
            KeyRules keyRules,
            ClientHop hop,
            ErrorPages errorPages) {
        this.errorPages = errorPages;
        this.keyRules = keyRules;
        this.hop = hop;
        this.routes = routes;
        this.cache = cache;
        this.recorder = recorder;
        this.originTimeout = originTimeout;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        requestRead(ctx); // auto-read is off: ask for the first request
        ctx.fireChannelActive();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // a read cycle can end without a whole request (an HTTP/2 stream's frames come in several): ask again, or
        // the stream would stall
        if (readRequested && !inFlight) ctx.read();
        ctx.fireChannelReadComplete();
    }

    private void requestRead(ChannelHandlerContext ctx) {
        readRequested = true;
        ctx.read();
    }

    @SuppressWarnings("FutureReturnValueIgnored") // the callback hands the outcome to the channel's loop
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        long start = System.nanoTime();
        readRequested = false;
        inFlight = true;
        requestNumber++;
        CacheKey key;
        try {
            key = keyRules.key(req.headers().get(HttpHeaderNames.HOST), req.uri());
        } catch (MisdirectedRequestException e) { // RFC 9110 §15.5.20: not a site of this edge
            recorder.rejected(Outcome.CLIENT_BAD_REQUEST);
            write(
                    ctx,
                    ResponseFactory.error(
                            HttpResponseStatus.MISDIRECTED_REQUEST, e.getMessage(), Outcome.CLIENT_BAD_REQUEST));
            return;
        } catch (BadRequestTargetException e) {
            recorder.rejected(Outcome.CLIENT_BAD_REQUEST);
            write(
                    ctx,
                    ResponseFactory.error(HttpResponseStatus.BAD_REQUEST, e.getMessage(), Outcome.CLIENT_BAD_REQUEST));
            return;
        }
        String method = req.method().name();
        Route route = routes.get().match(key.path());
        ClientRequest cr = new ClientRequest(
                method,
                key,
                route,
                req.headers().get(HttpHeaderNames.IF_NONE_MATCH),
                req.headers().get(HttpHeaderNames.IF_MODIFIED_SINCE),
                start,
                route.storage().credentialed(route.config(), req.headers()::contains),
                readerFreshness(route, req),
                onlyIfCached(route, req),
                req.headers().get(HttpHeaderNames.ACCEPT_ENCODING),
                req.headers().get(HttpHeaderNames.RANGE),
                req.headers().get(HttpHeaderNames.IF_RANGE),
                req.headers().get(HttpHeaderNames.REFERER),
                req.headers().get(HttpHeaderNames.USER_AGENT));
        if (isInternal(key.path())) {
            respond(
                    ctx,
                    cr,
                    ResponseFactory.error(HttpResponseStatus.NOT_FOUND, "not found", Outcome.INTERNAL_PATH),
                    Outcome.INTERNAL_PATH);
        } else if (REFUSED_METHODS.contains(method)) {
            FullHttpResponse r = ResponseFactory.error(
                    HttpResponseStatus.METHOD_NOT_ALLOWED,
                    method + " is not served on this port",
                    Outcome.METHOD_NOT_ALLOWED);
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
            respond(ctx, cr, r, Outcome.METHOD_NOT_ALLOWED);
        } else if (route.isCacheable() && (method.equals("GET") || method.equals("HEAD"))) {
            serveCacheable(ctx, req, cr);
        } else {
            OriginRequest forward =
                    OriginRequests.forPass(route.config(), method, key, headersOf(req), forwardedBody(route, req), hop);
            String host = req.headers().get(HttpHeaderNames.HOST);
            cache.pass(
                            withInterimTo(ctx, req, requestNumber, forward),
                            ctx.channel().eventLoop())
                    .thenCompose(
                            response -> cache.invalidate(storable(Invalidation.targets(method, key, host, response)))
                                    .thenApply(purged -> response)) // RFC 9111 §4.4, before the reader can read again
                    .whenComplete((response, error) -> ctx.executor().execute(() -> {
                        if (error != null) originFailed(ctx, cr, error);
                        else
                            respond(
                                    ctx,
                                    cr,
                                    ResponseFactory.fromOrigin(response, cr.isHead(), Outcome.PASS),
                                    Outcome.PASS);
                    }));
        }
    }

    private void serveCacheable(ChannelHandlerContext ctx, FullHttpRequest req, ClientRequest cr) {
        EntryKey key = new EntryKey(cache.activeDeploy(), cr.key());
        Optional<HotEntry> hot = cache.lookupHot(key);
        if (hot.isPresent()) {
            StoredEntry meta = hot.get().meta();
            long now = cache.nowMillis();
            if (CacheableExchange.servableFresh(cr, meta, now) && !Variants.isIndex(meta)) {
                FullHttpResponse hit = hit(hot.get(), cr, now);
                if (hit != null) {
                    respond(ctx, cr, hit, Outcome.HIT_MEMORY);
                    return;
                }
            }
        }
        // not a fresh hit: everything past here works on heap entries, as before issue 12
        Optional<StoredEntry> inMemory = hot.flatMap(HotEntry::toEntryUnlessReleased);
        // made only if the origin is asked: the request's headers stay readable after its body is released
        long number = requestNumber;
        Supplier<OriginRequest> render = () -> withInterimTo(
                ctx,
                req,
                number,
                cr.route().storage().originRequest(cr.route().config(), cr.key(), headersOf(req), hop));
        new CacheableExchange(ctx, cr, render, cache, originTimeout, this).serve(key, inMemory);
    }

    /**
     * The memory hit's response, written from the entry's direct buffers; null when the entry was evicted (and its
     * memory released) between the lookup and the retain, which is then answered as a miss.
     */
    static @Nullable FullHttpResponse hit(HotEntry hot, ClientRequest cr, long nowMillis) {
        try {
            return ResponseFactory.fromHot(hot, cr, nowMillis, Outcome.HIT_MEMORY);
        } catch (IllegalReferenceCountException evictedMeanwhile) {
            return null;
        }
    }

    /**
     * {@code request}, its interim responses forwarded to the reader ahead of the final one (RFC 9110 §15.2: a proxy
     * MUST forward them), as long as this request (the {@code number}th on the connection) is still the one answered:
     * a refresh in the background or a response after a timeout has nobody waiting for them. Never to an HTTP/1.0
     * reader, who cannot parse them, nor on an HTTP/2 stream (issue 13), where Netty's stream codec would end the
     * stream with the interim response.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // a failed interim write fails the final one too, which closes
    private OriginRequest withInterimTo(
            ChannelHandlerContext ctx, FullHttpRequest req, long number, OriginRequest request) {
        if (!req.protocolVersion().equals(HttpVersion.HTTP_1_1) || ctx.channel() instanceof Http2StreamChannel) {
            return request;
        }
        return request.withInterim(interim -> ctx.executor().execute(() -> {
            if (inFlight && requestNumber == number) ctx.writeAndFlush(ResponseFactory.interim(interim));
        }));
    }

    /**
     * The body a pass route forwards. GET, HEAD and DELETE define no meaning for content (RFC 9110 §9.3): such a body
     * is dropped unless the route asks for it ({@code forward-request-body}; never on HEAD), because an origin that
     * does not expect it may read it as a second request on the shared connection (request smuggling, issue 8).
     */
    private static byte[] forwardedBody(Route route, FullHttpRequest req) {
        String method = req.method().name();
        boolean undefined = method.equals("GET") || method.equals("HEAD") || method.equals("DELETE");
        if (undefined && (method.equals("HEAD") || !route.config().forwardRequestBody())) return new byte[0];
        return ByteBufUtil.getBytes(req.content());
    }

    private static boolean isInternal(String path) {
        return path.startsWith(INTERNAL_PREFIX) || path.equals("/_edge");
    }

    /** Targets on cacheable routes only: nothing else can be stored, and a purge costs a fence slot and disk reads. */
    private List<String> storable(List<String> targets) {
        if (targets.isEmpty()) return targets;
        RouteTable table = routes.get();
        return targets.stream()
                .filter(t -> table.match(CacheKey.fromRequestTarget(t).path()).isCacheable())
                .toList();
    }

    /** RFC 9111 §5.2.1: what the reader's {@code Cache-Control} asks of a stored page, where the route honours it. */
    private static ReaderFreshness readerFreshness(Route route, FullHttpRequest req) {
        if (!route.isCacheable() || route.config().clientRevalidate() != ClientRevalidate.HONOR) {
            return ReaderFreshness.ANY;
        }
        List<String> values = req.headers().getAll(HttpHeaderNames.CACHE_CONTROL);
        return values.isEmpty() ? ReaderFreshness.ANY : ReaderFreshness.of(CacheControl.parse(values));
    }

    /** RFC 9111 §5.2.1.7: the reader wants a stored response or a 504, never an origin request. */
    private static boolean onlyIfCached(Route route, FullHttpRequest req) {
        if (!route.isCacheable() || !req.headers().contains(HttpHeaderNames.CACHE_CONTROL)) return false;
        return CacheControl.parse(req.headers().getAll(HttpHeaderNames.CACHE_CONTROL))
                .has("only-if-cached");
    }

    @Override
    public void originFailed(ChannelHandlerContext ctx, ClientRequest cr, Throwable error) {
        Throwable cause = OriginFailures.causeOf(error);
        Outcome outcome = OriginFailures.outcomeOf(cause);
        // a 502 or 504 a reader saw is worth a line with its cause; a held-back request (the origin was not
        // asked, its failure was logged when it happened) is not, or an outage would flood the log
        if (outcome == Outcome.ORIGIN_HELD_BACK) {
            log.debug("origin.held-back channel={} target={}", ctx.channel().id(), cr.key());
        } else {
            log.warn(
                    "origin.failed method={} target={} outcome={} error=\"{}\"",
                    cr.method(),
                    cr.key(),
                    outcome.name().toLowerCase(Locale.ROOT),
                    cause.toString());
        }
        respond(ctx, cr, OriginFailures.responseFor(cause, errorPages, cr.key().host()), outcome);
    }

    @Override
    public void respond(ChannelHandlerContext ctx, ClientRequest cr, FullHttpResponse response, Outcome outcome) {
        recorder.finished(
                cr,
                response.status().code(),
                cr.isHead() ? 0 : response.content().readableBytes(),
                outcome,
                hop.address());
        write(ctx, response);
    }

    @SuppressWarnings("FutureReturnValueIgnored") // addListener returns the same future, whose failure it handles
    private void write(ChannelHandlerContext ctx, FullHttpResponse response) {
        ctx.writeAndFlush(response).addListener(f -> {
            if (!f.isSuccess()) ctx.close();
        });
        inFlight = false;
        requestRead(ctx); // the response is queued in order: read the next pipelined request
    }

    private static List<Header> headersOf(FullHttpRequest req) {
        List<Header> headers = new ArrayList<>(req.headers().size());
        for (Map.Entry<String, String> h : req.headers()) headers.add(new Header(h.getKey(), h.getValue()));
        return headers;
    }

    @SuppressWarnings("FutureReturnValueIgnored") // Netty close(): nothing to do when a close fails
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) ctx.close(); // an idle keep-alive connection
        else ctx.fireUserEventTriggered(evt);
    }

    @SuppressWarnings("FutureReturnValueIgnored") // Netty close(): nothing to do when a close fails
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a reader resetting its connection is routine (load tools do it by the thousand): not worth a WARN
        if (cause instanceof java.io.IOException) {
            log.debug(
                    "client.io-error channel={} remote={} error=\"{}\"",
                    ctx.channel().id(),
                    ctx.channel().remoteAddress(),
                    cause.toString());
        } else {
            log.warn(
                    "client.error channel={} remote={} error=\"{}\"",
                    ctx.channel().id(),
                    ctx.channel().remoteAddress(),
                    cause.toString());
        }
        ctx.close();
    }
}
