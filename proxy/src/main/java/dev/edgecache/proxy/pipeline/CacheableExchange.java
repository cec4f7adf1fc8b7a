package dev.edgecache.proxy.pipeline;

import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.cache.CacheStatus;
import dev.edgecache.proxy.cache.Fetched;
import dev.edgecache.proxy.cache.PageCache;
import dev.edgecache.proxy.cache.Variants;
import dev.edgecache.proxy.metrics.Outcome;
import dev.edgecache.proxy.origin.OriginRequest;
import dev.edgecache.proxy.store.HotEntry;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One GET or HEAD on a cacheable route that memory could not answer fresh: looks on disk, serves a stale copy while
 * one refresh runs where the route allows, or renders through the origin (collapsed with concurrent renders).
 * Created per such request by {@link ClientRequestHandler}; every answer goes back through its {@link Responder},
 * on the connection's event loop.
 */
final class CacheableExchange {
    private static final Logger log = LoggerFactory.getLogger(CacheableExchange.class);
    /** Collapsed waiters wait for the render deadline plus this, to cover the store write. */
    static final Duration WAITER_MARGIN = Duration.ofSeconds(1);

    private final ChannelHandlerContext ctx;
    private final ClientRequest cr;
    /**
     * Makes the request the origin gets if it must render: only then, since copying the reader's headers was a tenth
     * of a disk hit's allocation (issue 12). Read through {@link #render()}.
     */
    private final Supplier<OriginRequest> renderRequest;

    private @Nullable OriginRequest render;

    private final PageCache cache;
    /** {@code origin.timeout}: how long a render may take unless its route says otherwise. */
    private final Duration originTimeout;

    private final Responder out;

    CacheableExchange(
            ChannelHandlerContext ctx,
            ClientRequest cr,
            Supplier<OriginRequest> renderRequest,
            PageCache cache,
            Duration originTimeout,
            Responder out) {
        this.ctx = ctx;
        this.cr = cr;
        this.renderRequest = renderRequest;
        this.cache = cache;
        this.originTimeout = originTimeout;
        this.out = out;
    }

    /** False when the reader wants it fresher or validated, or sent credentials the stored response does not admit. */
    static boolean usable(ClientRequest cr, StoredEntry entry, long nowMillis) {
        return cr.freshness().accepts(entry, nowMillis)
                && (!cr.credentialed()
                        || cr.route().storage().answersCredentialed(cr.route().config(), entry));
    }

    /** Fresh, and {@link #usable} for this reader: served as a hit. */
    static boolean servableFresh(ClientRequest cr, StoredEntry entry, long nowMillis) {
        return entry.isFreshAt(nowMillis) && usable(cr, entry, nowMillis);
    }

    /**
     * Serves {@code key} from what memory holds for it, else from disk, else the origin. An index entry of a varying
     * http page ({@link Variants}) leads to the request's variant, looked up the same way.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // the callback hands the outcome to the channel's loop
    void serve(EntryKey key, Optional<StoredEntry> inMemory) {
        if (inMemory.isPresent() && Variants.isIndex(inMemory.get())) {
            EntryKey variant =
                    Variants.variantKey(key, Variants.secondary(Variants.fieldsOf(inMemory.get()), render().headers()));
            Optional<HotEntry> hot = cache.lookupHot(variant);
            long now = cache.nowMillis();
            if (hot.isPresent() && servableFresh(cr, hot.get().meta(), now)) {
                FullHttpResponse hit = ClientRequestHandler.hit(hot.get(), cr, now); // issue 12: not copied
                if (hit != null) {
                    out.respond(ctx, cr, hit, Outcome.HIT_MEMORY);
                    return;
                }
            }
            serve(variant, hot.flatMap(HotEntry::toEntryUnlessReleased));
            return;
        }
        if (inMemory.isPresent()) { // expired: memory holds the newest copy, the disk has nothing fresher
            serveExpired(key, inMemory.get());
            return;
        }
        cache.lookup(key, cr.route()).whenComplete((found, error) -> {
            try {
                ctx.executor().execute(() -> {
                    if (found.isEmpty()) fetch(key, null);
                    else answerFromDisk(key, found.get());
                });
            } catch (RejectedExecutionException closing) { // the loop is shutting down: nobody will answer
                found.ifPresent(HotEntry::release);
            }
        });
    }

    /** Answers from what {@link PageCache#lookup} read, which this exchange owns and releases here. */
    private void answerFromDisk(EntryKey key, HotEntry read) {
        if (Variants.isIndex(read.meta())) serve(key, Optional.of(read.toEntryReleasing()));
        else if (!servableFresh(cr, read.meta(), cache.nowMillis())) serveExpired(key, read.toEntryReleasing());
        else {
            try {
                respondWith(read, Outcome.HIT_DISK); // written from the direct memory read into (issue 12)
            } finally {
                read.release(); // the response holds its own reference to the body
            }
        }
    }

    /** Serves an expired entry stale while one refresh runs, if it may be; otherwise refreshes first. */
    @SuppressWarnings("FutureReturnValueIgnored") // the background refresh's outcome is only logged
    private void serveExpired(EntryKey key, StoredEntry entry) {
        if (!entry.isServableStaleAt(cache.nowMillis()) || !usable(cr, entry, cache.nowMillis())) {
            fetch(key, entry);
            return;
        }
        respondWith(entry, Outcome.HIT_STALE);
        // collapsed with every other refresh of the key, so a burst of stale hits makes one origin request
        cache.fetch(key, cr.route(), render(), ctx.channel().eventLoop(), entry)
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
    private void fetch(EntryKey key, @Nullable StoredEntry expired) {
        if (cr.onlyIfCached()) {
            out.respond(
                    ctx,
                    cr,
                    ResponseFactory.error(
                            HttpResponseStatus.GATEWAY_TIMEOUT,
                            "only-if-cached, and no usable stored response",
                            Outcome.ONLY_IF_CACHED),
                    Outcome.ONLY_IF_CACHED);
            return;
        }
        Optional<CompletableFuture<Fetched>> fetch = cr.credentialed()
                ? Optional.of(cache.fetchCredentialed(
                        key, cr.route(), render(), ctx.channel().eventLoop()))
                : cache.fetch(key, cr.route(), render(), ctx.channel().eventLoop(), expired);
        if (fetch.isEmpty()) {
            out.respond(
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
                    if (error != null) failed(error, expired);
                    else answered(fetched, expired);
                }));
    }

    private void failed(Throwable error, @Nullable StoredEntry expired) {
        if (!servedStaleOnError(expired)) out.originFailed(ctx, cr, error);
    }

    private void answered(Fetched fetched, @Nullable StoredEntry expired) {
        StoredEntry stored = fetched.stored();
        if (stored != null) {
            Outcome outcome = storedOutcome(fetched, expired != null);
            FullHttpResponse r = ResponseFactory.fromEntry(stored, cr, cache.nowMillis(), outcome);
            if (outcome == Outcome.MISS_STORED || outcome == Outcome.REFRESH_STORED || outcome == Outcome.REVALIDATED)
                ResponseFactory.restoreWithheld(r, fetched.response()); // this reader's own fetch, not a waiter's
            String peer = fetched.peer();
            if (outcome == Outcome.MISS_PEER && peer != null)
                r.headers().set(CacheStatus.HEADER, CacheStatus.fromPeer(peer));
            out.respond(ctx, cr, r, outcome);
        } else if (fetched.response().status() < 500 || !servedStaleOnError(expired)) {
            FullHttpResponse r = ResponseFactory.fromOrigin(fetched.response(), cr.isHead(), Outcome.MISS_NOT_STORABLE);
            String reason = fetched.notStored();
            if (reason != null) r.headers().set(CacheStatus.HEADER, CacheStatus.notStored(reason));
            out.respond(ctx, cr, r, Outcome.MISS_NOT_STORABLE);
        }
    }

    /** Serves {@code expired} instead of a failed refresh when the route's stale-if-error window allows it. */
    private boolean servedStaleOnError(@Nullable StoredEntry expired) {
        if (expired == null || !cr.route().storage().mayServeOnError(cr.route().config(), expired, cache.nowMillis())) {
            return false;
        }
        respondWith(expired, Outcome.STALE_IF_ERROR);
        return true;
    }

    private static Outcome storedOutcome(Fetched fetched, boolean refresh) {
        if (fetched.collapsed()) return Outcome.MISS_COLLAPSED;
        if (fetched.peer() != null) return Outcome.MISS_PEER;
        if (fetched.revalidated()) return Outcome.REVALIDATED;
        return refresh ? Outcome.REFRESH_STORED : Outcome.MISS_STORED;
    }

    /** The request the origin gets if it must render, made on first use. */
    private OriginRequest render() {
        OriginRequest r = render;
        if (r == null) render = r = renderRequest.get();
        return r;
    }

    private void respondWith(StoredEntry entry, Outcome outcome) {
        respondWith(HotEntry.wrapping(entry), outcome);
    }

    /** {@code entry} is on the heap or this exchange's own, so building its response cannot fail a retain. */
    private void respondWith(HotEntry entry, Outcome outcome) {
        out.respond(ctx, cr, ResponseFactory.fromHot(entry, cr, cache.nowMillis(), outcome), outcome);
    }
}
