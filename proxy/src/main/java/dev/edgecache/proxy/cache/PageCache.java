package dev.edgecache.proxy.cache;

import dev.edgecache.common.config.OnDeploy;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.origin.OriginClient;
import dev.edgecache.proxy.origin.OriginException;
import dev.edgecache.proxy.origin.OriginRequest;
import dev.edgecache.proxy.origin.OriginResponse;
import dev.edgecache.proxy.store.HotEntry;
import dev.edgecache.proxy.store.StoreUnavailableException;
import dev.edgecache.proxy.store.TieredStore;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache behind the reader port: lookups in the memory and disk tiers, collapsed origin fetches, and the
 * store writes that follow them. Knows nothing of client channels; {@code ClientRequestHandler} adapts.
 *
 * <p>Threads: {@link #lookupMemory} runs on the caller's thread and never blocks. Disk reads and all writes run
 * on the bounded store executor. Futures complete on the store executor or an origin event loop; callers hop
 * back to their own loop. Thread-safe.
 */
public final class PageCache {
    private static final Logger log = LoggerFactory.getLogger(PageCache.class);

    private final TieredStore store;
    private final ExecutorService storeExecutor;
    private final ActiveDeploys deploys;
    private final PurgeFence fence;
    private final OriginClient origin;
    private final RequestCoalescer<EntryKey, Fetched> coalescer;
    private final EdgeMetrics metrics;
    private final InstantSource clock;
    private final VariantWrites variantWrites;
    private final Purger invalidator;
    private final ErrorBackoff backoff;
    private volatile FillSource fillSource = FillSource.ORIGIN;

    PageCache(
            TieredStore store,
            ExecutorService storeExecutor,
            ActiveDeploys deploys,
            PurgeFence fence,
            OriginClient origin,
            RequestCoalescer<EntryKey, Fetched> coalescer,
            EdgeMetrics metrics,
            InstantSource clock,
            Purger invalidator,
            Duration errorBackoff) {
        this.store = store;
        this.storeExecutor = storeExecutor;
        this.deploys = deploys;
        this.fence = fence;
        this.origin = origin;
        this.coalescer = coalescer;
        this.metrics = metrics;
        this.clock = clock;
        this.variantWrites = new VariantWrites(store);
        this.invalidator = invalidator;
        this.backoff = new ErrorBackoff(errorBackoff, clock);
    }

    /** Where misses are filled from before the origin is asked (issue 9: the key's owner in a cluster). */
    public void fillFrom(FillSource source) {
        this.fillSource = source;
    }

    public String activeDeploy() {
        return deploys.active();
    }

    /** The clock every cache decision reads (injected: tests move it). */
    public InstantSource clock() {
        return clock;
    }

    public long nowMillis() {
        return clock.millis();
    }

    /** Non-blocking memory-tier lookup, a heap copy of the entry ({@link HotEntry#toEntry}); safe on an event loop. */
    public Optional<StoredEntry> lookupMemory(EntryKey key) {
        return store.getFromMemory(key);
    }

    /**
     * Non-blocking memory-tier lookup of the entry itself, bodies in direct memory, for writing a hit without copying
     * it (issue 12); safe on an event loop. Its bytes are read only through a retain ({@link HotEntry}).
     */
    public Optional<HotEntry> lookupHot(EntryKey key) {
        return store.getHotFromMemory(key);
    }

    /**
     * Looks in memory, then on disk (promoting a disk hit), on the store executor. On a route with {@code on-deploy:
     * stale}, a page the active deploy lacks is taken from the previous deploy, marked stale, so it is served while
     * it is rendered again. A failing disk or a full executor counts as a miss: the origin can still answer.
     *
     * @return the entry, which the caller owns and {@link HotEntry#release}s once it has built its response: a disk
     *     hit's bodies are in direct memory read for this request ({@link HotEntry#readInto}), written from there
     *     without a copy
     */
    public CompletableFuture<Optional<HotEntry>> lookup(EntryKey key, Route route) {
        try {
            return CompletableFuture.supplyAsync(
                            () -> {
                                Optional<HotEntry> found = readPromoting(key);
                                if (found.isPresent() || route.config().onDeploy() != OnDeploy.STALE) return found;
                                Optional<String> previous = deploys.previous();
                                if (previous.isEmpty() || previous.get().equals(key.deploy())) return found;
                                return readPromoting(new EntryKey(previous.get(), key.key()))
                                        .map(e -> HotEntry.wrapping(
                                                e.toEntryReleasing().markedStale(clock.millis())));
                            },
                            storeExecutor)
                    .exceptionally(e -> {
                        storeFailed("read", key, e);
                        return Optional.empty();
                    });
        } catch (RejectedExecutionException e) {
            storeFailed("read", key, e);
            return CompletableFuture.completedFuture(Optional.empty());
        }
    }

    /**
     * Memory, else disk, promoting a disk hit into memory unless a purge recorded since the disk read began covers it
     * (issue 8: a promotion that lands after a purge would serve the purged page as a hit until evicted). Only a page
     * read twice recently is promoted ({@code TieredStore#admits}), full or not. Blocking. The entry is the
     * caller's own either way: a memory hit as a heap copy, since the memory tier may release its own at any time, and
     * a disk hit as read, for the caller to release.
     */
    Optional<HotEntry> readPromoting(EntryKey key) {
        Optional<StoredEntry> inMemory = store.getFromMemory(key);
        if (inMemory.isPresent()) return inMemory.map(HotEntry::wrapping);
        long purgeSequence = fence.current(); // before the read: a purge from here on fences the promotion
        Optional<HotEntry> onDisk = store.getFromDisk(key);
        if (onDisk.isPresent()) {
            try {
                promote(purgeSequence, key, onDisk.get());
            } catch (RuntimeException | Error e) { // nobody gets the entry: free it
                onDisk.get().release();
                throw e;
            }
        }
        return onDisk;
    }

    /** The second half of {@link #readPromoting}, apart so that a test can put a purge between the two. */
    void promote(long purgeSequenceBeforeRead, EntryKey key, HotEntry fromDisk) {
        if (!store.admits(key)) return;
        boolean promoted = fence.storeUnlessPurged(
                purgeSequenceBeforeRead, key.key(), fromDisk.meta().tags(), () -> store.promote(key, fromDisk));
        if (!promoted) log.debug("promotion.fenced key={}", key);
    }

    /**
     * Fetches {@code key} from the origin, collapsed with every concurrent fetch of the same key, and stores the
     * answer when the route allows. A waiter whose leader's answer was meant for one client only (Set-Cookie,
     * private) makes its own request instead of receiving someone else's response.
     *
     * @return empty when too many requests already wait on this key (the caller sheds load)
     */
    public Optional<CompletableFuture<Fetched>> fetch(
            EntryKey key, Route route, OriginRequest request, EventLoop loop) {
        return fetch(key, route, request, loop, null);
    }

    /**
     * Same as {@link #fetch(EntryKey, Route, OriginRequest, EventLoop)}, validating {@code previous} when given: the
     * request is made conditional and a 304 freshens the stored response (RFC 9111 §4.3). On http routes {@code key}
     * may be a variant key ({@link Variants}); a waiter whose request selects another variant than the leader's
     * makes its own request.
     */
    public Optional<CompletableFuture<Fetched>> fetch(
            EntryKey key, Route route, OriginRequest request, EventLoop loop, @Nullable StoredEntry previous) {
        if (backoff.active(key)) {
            metrics.originHeldBack("backoff");
            return Optional.of(CompletableFuture.failedFuture(new OriginException(
                    OriginException.Kind.HELD_BACK, "this page's render failed a moment ago; not asking again yet")));
        }
        RequestCoalescer.Join<Fetched> join = coalescer.join(
                key,
                () -> storedMeanwhile(key, previous)
                        .map(CompletableFuture::completedFuture)
                        .orElseGet(() -> fetchAndStore(key, route, request, loop, previous)));
        CompletableFuture<Fetched> shared = join.future();
        if (shared == null) return Optional.empty(); // rejected
        if (join.leader()) return Optional.of(shared);
        metrics.coalescedWaiter();
        return Optional.of(shared.thenCompose(f -> inheritable(f, request)
                ? CompletableFuture.completedFuture(new Fetched(
                        f.response(), f.stored(), true, f.variant(), f.revalidated(), f.peer(), f.notStored()))
                : fetchAndStore(key, route, request, loop, previous)));
    }

    /**
     * Whether a waiter may take the leader's answer instead of asking the origin itself. Never an answer meant for
     * one client (Set-Cookie, private) or another variant; and never an error the origin may have made for the
     * leader's own request (a 4xx, a 500), which one reader could otherwise serve to everyone who asked at the same
     * time (CPDoS, issue 8). What was stored is for everyone (its storage rule said so, whatever {@code
     * Cache-Control} alone says: {@code CDN-Cache-Control} may override it), other successes are not errors, and
     * 502/503/504 say the origin is unavailable, whoever asks.
     */
    private static boolean inheritable(Fetched f, OriginRequest request) {
        if (!sameVariant(f, request)) return false;
        if (f.stored() != null) return true;
        if (!CachePolicy.isShareable(f.response())) return false;
        int status = f.response().status();
        return status < 400 || (status >= 502 && status <= 504);
    }

    /**
     * A fetch that became leader just after another flight for the key finished: the caller looked (stale or
     * missing) before that flight stored its page, and joined after the flight was gone. The page is fresh in memory
     * now, so asking the origin again would be a second request for one refresh (found by a flaky TtlStaleIT).
     */
    @SuppressWarnings("ReferenceEquality") // identity on purpose: "not the very copy the caller already saw"
    private Optional<Fetched> storedMeanwhile(EntryKey key, @Nullable StoredEntry seen) {
        return store.getFromMemory(key)
                .filter(e -> e != seen && e.isFreshAt(clock.millis()) && !Variants.isIndex(e))
                .map(e -> new Fetched(new OriginResponse(e.status(), e.headers(), e.body()), e, true));
    }

    /**
     * A request with a credential the origin sees ({@link StoragePolicy#credentialed}): never collapsed with
     * anyone's, stored only when the response allows it (RFC 9111 §3.5).
     */
    public CompletableFuture<Fetched> fetchCredentialed(
            EntryKey key, Route route, OriginRequest request, EventLoop loop) {
        return fetchAndStore(key, route, request, loop, null);
    }

    private static boolean sameVariant(Fetched f, OriginRequest request) {
        if (f.variant() == null) return true;
        List<String> fields = Variants.selectingFields(f.response().headers("Vary"));
        return f.variant().equals(Variants.secondary(fields, request.headers()));
    }

    private CompletableFuture<Fetched> fetchAndStore(
            EntryKey key, Route route, OriginRequest request, EventLoop loop, @Nullable StoredEntry previous) {
        FillSource source = fillSource;
        if (source.equals(FillSource.ORIGIN)
                || previous != null
                || !route.storage().fillsFromPeers()) {
            return fromOrigin(key, route, request, loop, previous);
        }
        long purgeSequence = fence.current(); // issue 9: ask the key's owner first; a purge from here on fences
        return source.fill(key, request)
                .thenCompose(filled -> filled.isPresent()
                        ? storeFilled(key, filled.get(), purgeSequence)
                        : fromOrigin(key, route, request, loop, null));
    }

    /**
     * Stores this node's own copy of what another node answered, fenced as an origin answer would be, with the
     * encoded copies that node made (compressed once per cluster, as rendered once).
     */
    private CompletableFuture<Fetched> storeFilled(EntryKey key, FillSource.Filled filled, long purgeSequence) {
        StoredEntry e = filled.entry();
        if (e == null) {
            return CompletableFuture.completedFuture(
                    new Fetched(filled.response(), null, false, null, false, filled.node()));
        }
        StoredEntry copy = new StoredEntry(
                e.status(),
                e.headers(),
                e.body(),
                e.storedAtMillis(),
                e.expiresAtMillis(),
                e.staleUntilMillis(),
                e.etag(),
                e.tags(),
                key.deploy(),
                purgeSequence,
                e.encodings());
        return write(key, copy, c -> () -> store.put(key, c))
                .thenApply(stored -> new Fetched(filled.response(), stored, false, null, false, filled.node()));
    }

    private CompletableFuture<Fetched> fromOrigin(
            EntryKey key, Route route, OriginRequest request, EventLoop loop, @Nullable StoredEntry previous) {
        long purgeSequence = fence.current(); // a purge after this point fences the write below
        OriginRequest sent = previous == null ? request : Revalidation.conditional(request, previous);
        Duration deadline = route.config().renderTimeout();
        var answered = (deadline == null ? origin.send(sent, loop) : origin.send(sent, loop, deadline))
                .whenComplete((answer, error) ->
                        backoff.rendered(key, error != null || ErrorBackoff.unavailable(answer.status())));
        return answered.thenCompose(answer -> {
            boolean revalidated = previous != null && answer.status() == 304;
            OriginResponse response = revalidated && previous != null ? Revalidation.merge(previous, answer) : answer;
            StoragePolicy storage = route.storage();
            List<String> fields = storage.selectingFields(response);
            String variant = fields.isEmpty() ? null : Variants.secondary(fields, request.headers());
            Optional<String> reason = storage.notStorableReason(
                    route.config(), response, storage.credentialed(route.config(), request::has));
            if (reason.isPresent()) {
                log.debug("store.skip key={} reason=\"{}\"", key, reason.get());
                return CompletableFuture.completedFuture(
                        Fetched.notStored(response, variant, revalidated, reason.get()));
            }
            StoredEntry entry = storage.toEntry(route.config(), response, key.deploy(), clock.millis(), purgeSequence);
            Function<StoredEntry, Runnable> putFor = fields.isEmpty()
                    ? e -> () -> store.put(key, e)
                    : e -> () -> variantWrites.put(
                            Variants.primaryOf(key),
                            e,
                            fields,
                            variant,
                            route.config().maxVariants(),
                            clock.millis());
            return write(key, entry, putFor)
                    .thenApply(stored -> new Fetched(response, stored, false, variant, revalidated));
        });
    }

    /**
     * RFC 9111 §4.4: hard-purges {@code targets} (and their variants) in every live deploy after an unsafe request
     * succeeded, fenced like an admin purge; completes with how many entries went, or 0 when it failed.
     */
    public CompletableFuture<Integer> invalidate(List<String> targets) {
        if (targets.isEmpty()) return CompletableFuture.completedFuture(0);
        try {
            return CompletableFuture.supplyAsync(
                            () -> invalidator
                                    .purge(targets, List.of(), List.of(), false, false, false)
                                    .purged(),
                            storeExecutor)
                    .exceptionally(e -> {
                        metrics.storeError();
                        log.warn("invalidate.error targets={} error=\"{}\"", targets.size(), e.toString());
                        return 0;
                    });
        } catch (RejectedExecutionException e) {
            metrics.storeError();
            return CompletableFuture.completedFuture(0);
        }
    }

    /**
     * Compresses once (unless a peer already did), then writes durably (WAL), then to memory, unless a purge since the render started covers the
     * page; completes with the entry as stored, or null if the write was fenced or failed.
     *
     * @param putFor the write of the compressed entry (a plain put, or a variant write on http routes)
     */
    private CompletableFuture<@Nullable StoredEntry> write(
            EntryKey key, StoredEntry rendered, Function<StoredEntry, Runnable> putFor) {
        try {
            return CompletableFuture.<@Nullable StoredEntry>supplyAsync(
                            () -> {
                                StoredEntry entry = rendered.encodings().isEmpty()
                                        ? StoreCompression.addEncodings(rendered, metrics.compression())
                                        : rendered;
                                boolean stored = fence.storeUnlessPurged(
                                        entry.purgeSequence(), key.key(), entry.tags(), putFor.apply(entry));
                                if (!stored) log.debug("store.fenced key={}", key);
                                return stored ? entry : null;
                            },
                            storeExecutor)
                    .exceptionally(e -> {
                        storeFailed("write", key, e);
                        return null;
                    });
        } catch (RejectedExecutionException e) {
            storeFailed("write", key, e);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Forwards a pass-route request; never stored. */
    public CompletableFuture<OriginResponse> pass(OriginRequest request, EventLoop loop) {
        return origin.send(request, loop);
    }

    private void storeFailed(String op, EntryKey key, Throwable e) {
        metrics.storeError();
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof StoreUnavailableException) { // the store health logged the cause once, at the change
            log.debug("store.unavailable op={} key={} error=\"{}\"", op, key, cause.toString());
        } else {
            log.warn("store.error op={} key={} error=\"{}\"", op, key, cause.toString());
        }
    }
}
