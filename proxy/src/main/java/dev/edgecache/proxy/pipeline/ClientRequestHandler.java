package dev.edgecache.proxy.pipeline;

import dev.edgecache.common.config.ClientRevalidate;
import dev.edgecache.common.config.RouteMode;
import dev.edgecache.common.http.CacheControl;
import dev.edgecache.common.key.BadRequestTargetException;
import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.key.KeyRules;
import dev.edgecache.common.key.MisdirectedRequestException;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.cache.CachePolicy;
import dev.edgecache.proxy.cache.Fetched;
import dev.edgecache.proxy.cache.HttpCachePolicy;
import dev.edgecache.proxy.cache.Invalidation;
import dev.edgecache.proxy.cache.OriginRequests;
import dev.edgecache.proxy.cache.PageCache;
import dev.edgecache.proxy.cache.Route;
import dev.edgecache.proxy.cache.RouteTable;
import dev.edgecache.proxy.cache.Variants;
import dev.edgecache.proxy.metrics.Outcome;
import dev.edgecache.proxy.origin.OriginRequest;
import dev.edgecache.proxy.origin.OriginResponse;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers readers' requests: routes them, serves cacheable GET and HEAD from the {@link PageCache} (memory hit
 * on the event loop, disk and origin asynchronously) and forwards everything else.
 *
 * <p>Pipeline position: last, after {@link ClientRequestValidator}; consumes {@link FullHttpRequest} (released on
 * return, so nothing of it is kept past {@code channelRead0}). Requests are handled one at a time per connection:
 * auto-read is off and the next request is read only once the previous response is written, which keeps
 * pipelined responses in order. All methods run on the connection's event loop; callbacks hop back to it.
 */
final class ClientRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(ClientRequestHandler.class);
    /** Never forwarded from the reader port: cache control belongs to the admin port; TRACE and CONNECT are unsafe. */
    private static final Set<String> REFUSED_METHODS = Set.of("PURGE", "BAN", "TRACE", "CONNECT");

    private final Supplier<RouteTable> routes;
    private final PageCache cache;
    private final ExchangeRecorder recorder;
    /** {@code origin.timeout}: how long a render may take unless its route says otherwise. */
    private final Duration originTimeout;
    /** Collapsed waiters wait for the render deadline plus this, to cover the store write. */
    static final Duration WAITER_MARGIN = Duration.ofSeconds(1);

    private final KeyRules keyRules;
    /** A read() was issued and no request has answered it yet. */
    private boolean readRequested;
    /** A request is being answered; the next one is not read until its response is written. */
    private boolean inFlight;

    ClientRequestHandler(
            Supplier<RouteTable> routes,
            PageCache cache,
            ExchangeRecorder recorder,
            Duration originTimeout,
            KeyRules keyRules) {
        this.keyRules = keyRules;
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
        // a read cycle can end without a whole request (FlowControlHandler counts that as answering the read):
        // ask again, or the connection would stall
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
                route.mode() == RouteMode.HTTP && req.headers().contains(HttpHeaderNames.AUTHORIZATION),
                asksRevalidation(route, req),
                req.headers().get(HttpHeaderNames.ACCEPT_ENCODING),
                req.headers().get(HttpHeaderNames.RANGE),
                req.headers().get(HttpHeaderNames.IF_RANGE));
        if (REFUSED_METHODS.contains(method)) {
            FullHttpResponse r = ResponseFactory.error(
                    HttpResponseStatus.METHOD_NOT_ALLOWED,
                    method + " is not served on this port",
                    Outcome.METHOD_NOT_ALLOWED);
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
            respond(ctx, cr, r, Outcome.METHOD_NOT_ALLOWED);
        } else if (route.isCacheable() && (method.equals("GET") || method.equals("HEAD"))) {
            serveCacheable(ctx, req, cr);
        } else {
            OriginRequest forward = OriginRequests.forPass(
                    method, key, headersOf(req), ByteBufUtil.getBytes(req.content()), addressOf(ctx));
            String host = req.headers().get(HttpHeaderNames.HOST);
            cache.pass(forward, ctx.channel().eventLoop())
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
        Optional<StoredEntry> inMemory = cache.lookupMemory(key);
        if (inMemory.isPresent()
                && inMemory.get().isFreshAt(cache.nowMillis())
                && usable(cr, inMemory.get())
                && !Variants.isIndex(inMemory.get())) {
            respondWith(ctx, cr, inMemory.get(), Outcome.HIT_MEMORY);
            return;
        }
        OriginRequest render = cr.route().mode() == RouteMode.HTTP
                ? OriginRequests.forHttp(cr.key(), headersOf(req), addressOf(ctx))
                : OriginRequests.forCacheable(cr.key(), headersOf(req), addressOf(ctx));
        serveStored(ctx, cr, key, inMemory, render);
    }

    /**
     * Serves {@code key} from what memory holds for it, else from disk, else the origin. An index entry of a varying
     * http page ({@link Variants}) leads to the request's variant, looked up the same way.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // the callback hands the outcome to the channel's loop
    private void serveStored(
            ChannelHandlerContext ctx,
            ClientRequest cr,
            EntryKey key,
            Optional<StoredEntry> inMemory,
            OriginRequest render) {
        if (inMemory.isPresent() && Variants.isIndex(inMemory.get())) {
            EntryKey variant =
                    Variants.variantKey(key, Variants.secondary(Variants.fieldsOf(inMemory.get()), render.headers()));
            Optional<StoredEntry> v = cache.lookupMemory(variant);
            if (v.isPresent() && v.get().isFreshAt(cache.nowMillis()) && usable(cr, v.get())) {
                respondWith(ctx, cr, v.get(), Outcome.HIT_MEMORY);
            } else {
                serveStored(ctx, cr, variant, v, render);
            }
            return;
        }
        if (inMemory.isPresent()) { // expired: memory holds the newest copy, the disk has nothing fresher
            serveExpired(ctx, cr, key, inMemory.get(), render);
            return;
        }
        cache.lookup(key, cr.route())
                .whenComplete((found, error) -> ctx.executor().execute(() -> {
                    if (found.isEmpty()) fetch(ctx, cr, key, render, null);
                    else if (Variants.isIndex(found.get())) serveStored(ctx, cr, key, found, render);
                    else if (found.get().isFreshAt(cache.nowMillis()) && usable(cr, found.get()))
                        respondWith(ctx, cr, found.get(), Outcome.HIT_DISK);
                    else serveExpired(ctx, cr, key, found.get(), render);
                }));
    }

    /** Targets on cacheable routes only: nothing else can be stored, and a purge costs a fence slot and disk reads. */
    private List<String> storable(List<String> targets) {
        if (targets.isEmpty()) return targets;
        RouteTable table = routes.get();
        return targets.stream()
                .filter(t -> table.match(CacheKey.fromRequestTarget(t).path()).isCacheable())
                .toList();
    }

    /** False when the reader asked for validation, or sent credentials the stored response does not admit. */
    private static boolean usable(ClientRequest cr, StoredEntry entry) {
        return !cr.revalidate() && (!cr.authorized() || HttpCachePolicy.allowsAuthorized(entry.headers()));
    }

    /** RFC 9111 §5.2.1.1, §5.2.1.4: a reader's {@code max-age=0} or {@code no-cache}, where the route honours it. */
    private static boolean asksRevalidation(Route route, FullHttpRequest req) {
        if (!route.isCacheable() || route.config().clientRevalidate() != ClientRevalidate.HONOR) return false;
        List<String> values = req.headers().getAll(HttpHeaderNames.CACHE_CONTROL);
        if (values.isEmpty()) return false;
        CacheControl cc = CacheControl.parse(values);
        return cc.has("no-cache") || cc.seconds("max-age").orElse(1) == 0;
    }

    /** Serves an expired entry stale while one refresh runs, if it may be; otherwise refreshes first. */
    @SuppressWarnings("FutureReturnValueIgnored") // the callback hands the outcome to the channel's loop
    private void serveExpired(
            ChannelHandlerContext ctx, ClientRequest cr, EntryKey key, StoredEntry entry, OriginRequest render) {
        if (!entry.isServableStaleAt(cache.nowMillis()) || !usable(cr, entry)) {
            fetch(ctx, cr, key, render, entry);
            return;
        }
        respondWith(ctx, cr, entry, Outcome.HIT_STALE);
        // collapsed with every other refresh of the key, so a burst of stale hits makes one origin request
        cache.fetch(key, cr.route(), render, ctx.channel().eventLoop(), entry)
                .ifPresent(f -> f.whenComplete((r, e) -> {
                    if (e != null) log.debug("refresh.failed key={} error=\"{}\"", key, e.toString());
                }));
    }

    /**
     * Fetches the page from the origin (collapsed, unless the reader sent credentials) and answers with what got
     * stored, or what came back. {@code expired} is the stored copy being refreshed, if any: the request is then
     * conditional on it (RFC 9111 §4.3), and when the refresh fails or answers 5xx the copy is served instead within
     * the route's stale-if-error window (RFC 5861 §4).
     */
    @SuppressWarnings("FutureReturnValueIgnored") // the callback hands the outcome to the channel's loop
    private void fetch(
            ChannelHandlerContext ctx,
            ClientRequest cr,
            EntryKey key,
            OriginRequest render,
            @Nullable StoredEntry expired) {
        Optional<CompletableFuture<Fetched>> fetch = cr.authorized()
                ? Optional.of(cache.fetchAuthorized(
                        key, cr.route(), render, ctx.channel().eventLoop()))
                : cache.fetch(key, cr.route(), render, ctx.channel().eventLoop(), expired);
        if (fetch.isEmpty()) {
            respond(
                    ctx,
                    cr,
                    ResponseFactory.error(
                            HttpResponseStatus.SERVICE_UNAVAILABLE,
                            "too many requests are waiting for this page",
                            Outcome.OVERLOADED),
                    Outcome.OVERLOADED);
            return;
        }
        Duration routeTimeout = cr.route().config().renderTimeout();
        Duration wait = (routeTimeout == null ? originTimeout : routeTimeout).plus(WAITER_MARGIN);
        fetch.get()
                .copy()
                .orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((fetched, error) -> ctx.executor().execute(() -> {
                    boolean failed = error != null
                            || (fetched.stored() == null && fetched.response().status() >= 500);
                    if (failed
                            && expired != null
                            && CachePolicy.mayServeOnError(cr.route().config(), expired, cache.nowMillis())) {
                        respondWith(ctx, cr, expired, Outcome.STALE_IF_ERROR);
                    } else if (error != null) {
                        originFailed(ctx, cr, error);
                    } else if (fetched.stored() != null) {
                        respondWith(ctx, cr, fetched.stored(), storedOutcome(fetched, expired != null));
                    } else {
                        OriginResponse r = fetched.response();
                        respond(
                                ctx,
                                cr,
                                ResponseFactory.fromOrigin(r, cr.isHead(), Outcome.MISS_NOT_STORABLE),
                                Outcome.MISS_NOT_STORABLE);
                    }
                }));
    }

    private static Outcome storedOutcome(Fetched fetched, boolean refresh) {
        if (fetched.collapsed()) return Outcome.MISS_COLLAPSED;
        if (fetched.revalidated()) return Outcome.REVALIDATED;
        return refresh ? Outcome.REFRESH_STORED : Outcome.MISS_STORED;
    }

    private void respondWith(ChannelHandlerContext ctx, ClientRequest cr, StoredEntry entry, Outcome outcome) {
        respond(ctx, cr, ResponseFactory.fromEntry(entry, cr, cache.nowMillis(), outcome), outcome);
    }

    private void originFailed(ChannelHandlerContext ctx, ClientRequest cr, Throwable error) {
        Throwable cause = OriginFailures.causeOf(error);
        log.debug(
                "origin.failed channel={} target={} error=\"{}\"", ctx.channel().id(), cr.key(), cause.toString());
        respond(ctx, cr, OriginFailures.responseFor(cause), OriginFailures.outcomeOf(cause));
    }

    private void respond(ChannelHandlerContext ctx, ClientRequest cr, FullHttpResponse response, Outcome outcome) {
        recorder.finished(cr, response.status().code(), outcome, ctx.channel().remoteAddress());
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

    private static String addressOf(ChannelHandlerContext ctx) {
        SocketAddress a = ctx.channel().remoteAddress();
        return a instanceof InetSocketAddress isa ? isa.getAddress().getHostAddress() : String.valueOf(a);
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
