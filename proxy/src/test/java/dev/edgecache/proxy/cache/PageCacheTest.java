package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.config.OriginConfig;
import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.config.RouteMode;
import dev.edgecache.common.store.Encoded;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.StoreContractTest;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.common.testing.FakeClock;
import dev.edgecache.proxy.deploy.DeployRegistry;
import dev.edgecache.proxy.internal.BoundedExecutor;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.origin.OriginClient;
import dev.edgecache.proxy.origin.OriginRequest;
import dev.edgecache.proxy.origin.OriginResponse;
import dev.edgecache.proxy.store.HotEntry;
import dev.edgecache.proxy.store.MemoryStore;
import dev.edgecache.proxy.store.RocksDbStore;
import dev.edgecache.proxy.store.TieredStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache's fetch path without a client channel; the origin is a closed port, so any origin request fails. */
class PageCacheTest {
    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock();
    private final Route route =
            new RouteTable(List.of(RouteConfig.of("/**", RouteMode.TTL, Duration.ofSeconds(60)))).match("/a");
    private EventLoopGroup loops;
    private ExecutorService storeExecutor;
    private TieredStore store;
    private PageCache cache;
    private PurgeFence fence;
    private Purger purger;

    @BeforeEach
    void start() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        EdgeMetrics metrics = new EdgeMetrics(new SimpleMeterRegistry());
        loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        storeExecutor = BoundedExecutor.create("test-store", 1, 16);
        store = new TieredStore(new MemoryStore(1 << 20), RocksDbStore.open(dir, () -> {}));
        DeployRegistry deploys = DeployRegistry.load(store.disk(), "v1", 3, clock, storeExecutor);
        OriginClient origin = new OriginClient(
                OriginConfig.of(URI.create("http://127.0.0.1:" + closedPort)), NioSocketChannel.class, metrics);
        CacheAssembly assembly = CacheAssembly.builder(store, storeExecutor, deploys, deploys::liveIds, origin, metrics)
                .clock(clock)
                .maxWaitersPerKey(16)
                .build();
        cache = assembly.cache();
        fence = assembly.fence();
        purger = assembly.purger();
    }

    @AfterEach
    void stop() throws InterruptedException {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        storeExecutor.shutdown();
        store.close();
    }

    @Test
    void aRefreshThatArrivesAfterAnotherRefreshStoredThePageDoesNotAskTheOriginAgain() throws Exception {
        EntryKey key = StoreContractTest.key("/a");
        StoredEntry seenStale = StoreContractTest.entry("old");
        StoredEntry refreshedMeanwhile = StoreContractTest.entry("new");
        store.put(key, refreshedMeanwhile); // another flight finished between this request's lookup and its join

        Fetched f = cache.fetch(
                        key, route, new OriginRequest("GET", "/a", List.of(), new byte[0]), loops.next(), seenStale)
                .orElseThrow()
                .get(5, TimeUnit.SECONDS);

        assertThat(f.stored()).isSameAs(refreshedMeanwhile); // the origin (a closed port) was never asked
        assertThat(f.collapsed()).isTrue();
    }

    @Test
    void withNothingFreshStoredTheFetchGoesToTheOrigin() {
        EntryKey key = StoreContractTest.key("/a");
        var fetch = cache.fetch(
                        key,
                        route,
                        new OriginRequest("GET", "/a", List.of(), new byte[0]),
                        loops.next(),
                        StoreContractTest.entry("old"))
                .orElseThrow();
        assertThat(fetch).failsWithin(Duration.ofSeconds(5)); // connection refused: it did try the origin
    }

    /** Issue 9: a page a peer compressed is stored with the peer's encoded copies, not compressed again. */
    @Test
    void aPeerFilledPageKeepsThePeersEncodedCopies() throws Exception {
        Route persistent = new RouteTable(List.of(RouteConfig.of("/**", RouteMode.PERSISTENT, null))).match("/a");
        Encoded peerGzip = new Encoded("gzip", new byte[] {1, 2, 3});
        StoredEntry peers = StoreContractTest.entry("x".repeat(4096)).withEncodings(List.of(peerGzip));
        cache.fillFrom((key, request) -> CompletableFuture.completedFuture(Optional.of(new FillSource.Filled(
                "edge-b", new OriginResponse(peers.status(), peers.headers(), peers.body()), peers))));
        EntryKey key = new EntryKey("v1", StoreContractTest.key("/a").key());

        Fetched f = cache.fetch(key, persistent, new OriginRequest("GET", "/a", List.of(), new byte[0]), loops.next())
                .orElseThrow()
                .get(5, TimeUnit.SECONDS);

        assertThat(f.peer()).isEqualTo("edge-b");
        assertThat(store.getFromDisk(key).orElseThrow().toEntryReleasing().encodings())
                .containsExactly(peerGzip);
    }

    @Test
    void aDiskHitIsPromotedIntoMemoryOnItsSecondRead() {
        EntryKey key = new EntryKey("v1", StoreContractTest.key("/a").key());
        store.disk().put(key, StoreContractTest.entry("x"));
        assertThat(readsPage(key)).isTrue();
        assertThat(store.getFromMemory(key)).as("read once: not promoted").isEmpty();
        assertThat(readsPage(key)).isTrue();
        assertThat(store.getFromMemory(key)).isPresent();
    }

    /** Whether {@link PageCache#readPromoting} finds the page; it releases what it read, as its callers do. */
    private boolean readsPage(EntryKey key) {
        Optional<HotEntry> read = cache.readPromoting(key);
        read.ifPresent(HotEntry::release);
        return read.isPresent();
    }

    /** A page on disk only, read once already: its next read is admitted, so only a purge can stop its promotion. */
    private EntryKey pageReadOnce(String path) {
        EntryKey key = new EntryKey("v1", StoreContractTest.key(path).key());
        store.disk().put(key, StoreContractTest.entry("x"));
        assertThat(readsPage(key)).isTrue();
        assertThat(store.getFromMemory(key)).isEmpty();
        return key;
    }

    /** Issue 8: a disk→memory promotion that started before a hard purge must not land after it. */
    @Test
    void aHardPurgeBetweenTheDiskReadAndThePromotionWins() {
        EntryKey key = pageReadOnce("/a");
        long before = fence.current();
        HotEntry read = store.getFromDisk(key).orElseThrow(); // a reader's disk read...

        purger.purge(List.of("/a"), List.of(), List.of(), false, false, false); // ...then the purge...
        cache.promote(before, key, read); // ...then the reader's promotion
        read.release();

        assertThat(store.getFromMemory(key)).isEmpty();
        assertThat(readsPage(key)).isFalse();
    }

    /** Issue 8: the same for a soft purge, whose stale mark must not be replaced by the fresh copy read before it. */
    @Test
    void aSoftPurgeBetweenTheDiskReadAndThePromotionWins() {
        EntryKey key = pageReadOnce("/a");
        long before = fence.current();
        HotEntry read = store.getFromDisk(key).orElseThrow();

        purger.purge(List.of(), List.of("/"), List.of(), false, true, false);
        cache.promote(before, key, read);
        read.release();

        assertThat(store.getFromMemory(key))
                .as("the fresh copy read before the purge is not promoted")
                .isEmpty();
        assertThat(cache.readPromoting(key).orElseThrow().toEntryReleasing().isFreshAt(clock.millis()))
                .as("read again: the purge's mark")
                .isFalse();
        assertThat(store.getFromMemory(key).orElseThrow().isFreshAt(clock.millis()))
                .as("promoted with its mark")
                .isFalse();
    }

    @Test
    void aPurgeOfAnotherPageDoesNotStopThePromotion() {
        EntryKey key = pageReadOnce("/a");
        long before = fence.current();
        HotEntry read = store.getFromDisk(key).orElseThrow();

        purger.purge(List.of("/b"), List.of(), List.of(), false, false, false);
        cache.promote(before, key, read);
        read.release();

        assertThat(store.getFromMemory(key)).isPresent();
    }

    /**
     * Found by SoakIT: a disk read that begins after a purge was recorded but before its deletes ran saw no new purge
     * sequence, so its promotion put the purged page back. A purge still running now stops such promotions.
     */
    @Test
    void aPurgeStillDeletingStopsAPromotionThatBeganAfterItWasRecorded() {
        EntryKey key = pageReadOnce("/a");
        long purge =
                fence.record(new PurgeMatcher(Set.of(), List.of("/"), Set.of(), false)); // recorded, not deleting yet

        assertThat(readsPage(key)).isTrue(); // the read itself may see the page...
        assertThat(store.getFromMemory(key)).isEmpty(); // ...but does not promote it under a running purge

        fence.finished(purge);
        assertThat(readsPage(key)).isTrue();
        assertThat(store.getFromMemory(key)).isPresent();
    }
}
