package dev.edgecache.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.config.OriginConfig;
import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.config.RouteMode;
import dev.edgecache.common.key.KeyRules;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.accesslog.AccessLog;
import dev.edgecache.proxy.cache.CacheAssembly;
import dev.edgecache.proxy.cache.ClientHop;
import dev.edgecache.proxy.cache.PageCache;
import dev.edgecache.proxy.cache.RouteTable;
import dev.edgecache.proxy.deploy.DeployRegistry;
import dev.edgecache.proxy.internal.BoundedExecutor;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.origin.OriginClient;
import dev.edgecache.proxy.store.HotEntry;
import dev.edgecache.proxy.store.MemoryStore;
import dev.edgecache.proxy.store.RocksDbStore;
import dev.edgecache.proxy.store.TieredStore;
import dev.edgecache.proxy.testing.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader's handler over a real {@link PageCache} (Caffeine over RocksDB): a memory hit writes the memory tier's
 * own direct buffer, retained once for the write and released by whoever consumes the response (issue 12), and a
 * page that is no longer in memory is still answered, from disk. The origin is a closed port: nothing here may
 * reach it.
 */
class MemoryHitPipelineTest {
    private static final String PAGE = "<p>hello from memory</p>";

    @TempDir
    Path dir;

    private TieredStore store;
    private ExecutorService storeExecutor;
    private PageCache cache;
    private EmbeddedChannel channel;
    private EntryKey key;
    private Supplier<ClientRequestHandler> handlers;

    @BeforeEach
    void setUp() {
        EdgeMetrics metrics = new EdgeMetrics(new SimpleMeterRegistry());
        RouteTable routes = new RouteTable(List.of(RouteConfig.of("/**", RouteMode.PERSISTENT, null)));
        RocksDbStore disk = RocksDbStore.open(dir, () -> {});
        store = new TieredStore(new MemoryStore(1 << 20), disk);
        storeExecutor = BoundedExecutor.create("test-store", 1, 16);
        DeployRegistry deploys = DeployRegistry.load(disk, "v1", 3, InstantSource.system(), storeExecutor);
        OriginClient origin =
                new OriginClient(OriginConfig.of(URI.create("http://127.0.0.1:9")), NioSocketChannel.class, metrics);
        cache = CacheAssembly.builder(store, storeExecutor, deploys, deploys::liveIds, origin, metrics)
                .build()
                .cache();
        handlers = () -> new ClientRequestHandler(
                () -> routes,
                cache,
                new ExchangeRecorder(metrics, AccessLog.off(), cache::activeDeploy, cache.clock()),
                Duration.ofSeconds(10),
                KeyRules.DEFAULT,
                ClientHop.untrusted("127.0.0.1"),
                ErrorPages.builtIn());
        channel = new EmbeddedChannel(handlers.get());
        key = new EntryKey(cache.activeDeploy(), KeyRules.DEFAULT.key("edge.test", "/a"));
        store.put(
                key,
                new StoredEntry(
                        200,
                        List.of(new Header("Content-Type", "text/html")),
                        PAGE.getBytes(StandardCharsets.UTF_8),
                        cache.nowMillis(),
                        StoredEntry.NEVER,
                        StoredEntry.NEVER,
                        "\"a\"",
                        List.of(),
                        cache.activeDeploy(),
                        0));
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        storeExecutor.shutdownNow();
        store.close();
    }

    private static DefaultFullHttpRequest request(String method, String path) {
        DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), path);
        req.headers().set("Host", "edge.test");
        return req;
    }

    private @Nullable FullHttpResponse get(String method) {
        channel.writeInbound(request(method, "/a"));
        Await.until(Duration.ofSeconds(10), "an answer", () -> {
            channel.runPendingTasks();
            return !channel.outboundMessages().isEmpty();
        });
        return channel.readOutbound();
    }

    @Test
    void aMemoryHitWritesTheStoredDirectBufferNotACopy() {
        HotEntry stored = store.getHotFromMemory(key).orElseThrow();
        FullHttpResponse r = get("GET");
        try {
            assertThat(r).isNotNull();
            assertThat(r.status().code()).isEqualTo(200);
            assertThat(r.headers().get("Cache-Status")).isEqualTo("edge; hit");
            assertThat(r.content().isDirect()).isTrue();
            assertThat(r.content().toString(StandardCharsets.UTF_8)).isEqualTo(PAGE);
            assertThat(stored.body().refCnt())
                    .as("the store's reference and the response's")
                    .isEqualTo(2);
        } finally {
            if (r != null) r.release();
        }
        assertThat(stored.body().refCnt())
                .as("the response's reference goes with it")
                .isEqualTo(1);
    }

    @Test
    void aHeadHitHoldsNoBytes() {
        HotEntry stored = store.getHotFromMemory(key).orElseThrow();
        FullHttpResponse r = get("HEAD");
        try {
            assertThat(r).isNotNull();
            assertThat(r.headers().get("Cache-Status")).isEqualTo("edge; hit");
            assertThat(r.headers().get("Content-Length")).isEqualTo(String.valueOf(PAGE.length()));
            assertThat(r.content().readableBytes()).isZero();
            assertThat(stored.body().refCnt()).isEqualTo(1);
        } finally {
            if (r != null) r.release();
        }
    }

    @Test
    void aPageEvictedFromMemoryIsAnsweredFromDiskAndPromotedAgainOnItsSecondRead() {
        HotEntry evicted = store.getHotFromMemory(key).orElseThrow();
        store.memory().remove(key);
        assertThat(evicted.body().refCnt()).isZero();
        for (int read = 0; read < 2; read++) {
            FullHttpResponse r = get("GET");
            try {
                assertThat(r).isNotNull();
                assertThat(r.status().code()).isEqualTo(200);
                assertThat(r.content().toString(StandardCharsets.UTF_8)).isEqualTo(PAGE);
            } finally {
                if (r != null) r.release();
            }
        }
        Await.until(
                Duration.ofSeconds(10),
                "the promotion",
                () -> store.getHotFromMemory(key).isPresent());
        assertThat(store.getHotFromMemory(key).orElseThrow().body().isDirect()).isTrue();
    }

    /**
     * Issue 12: while a disk hit is read off the event loop the socket stays readable (the transport need not take it
     * out of epoll's read set and put it back), yet a request pipelined meanwhile waits for the first to be answered,
     * and nothing more is read while it waits.
     */
    @Test
    void whileADiskHitIsReadTheSocketStaysReadableAndAPipelinedRequestWaitsItsTurn() throws Exception {
        store.memory().remove(key); // on disk only: read on the store executor
        CountDownLatch diskHeld = new CountDownLatch(1);
        storeExecutor.execute(() -> awaitQuietly(diskHeld)); // the read queues behind this
        ReadsAsked reads = new ReadsAsked();
        PipelinedRequests pipelining = new PipelinedRequests();
        EmbeddedChannel pipelined = new EmbeddedChannel(false, false, reads, pipelining, handlers.get());
        try {
            pipelined.config().setAutoRead(false); // as on reader connections
            pipelined.register();
            assertThat(reads.count()).as("the first request asked for").isEqualTo(1);

            pipelined.writeInbound(request("GET", "/a"));
            assertThat(reads.count()).as("read on while /a is answered").isEqualTo(2);
            pipelined.writeInbound(request("GET", "/missing"));
            pipelined.runPendingTasks();
            assertThat(pipelined.outboundMessages())
                    .as("nothing answered before the disk read")
                    .isEmpty();
            assertThat(pipelining.waiting()).isEqualTo(1);
            assertThat(reads.count())
                    .as("nothing more read while a request waits")
                    .isEqualTo(2);

            diskHeld.countDown();
            Await.until(Duration.ofSeconds(10), "both answers", () -> {
                pipelined.runPendingTasks();
                return pipelined.outboundMessages().size() == 2;
            });
            FullHttpResponse first = pipelined.readOutbound();
            FullHttpResponse second = pipelined.readOutbound();
            try {
                assertThat(first.content().toString(StandardCharsets.UTF_8)).isEqualTo(PAGE);
                assertThat(second.status().code())
                        .as("/missing: the origin is a closed port")
                        .isGreaterThan(499);
            } finally {
                first.release();
                second.release();
            }
            assertThat(pipelining.waiting()).isZero();
        } finally {
            diskHeld.countDown();
            pipelined.finishAndReleaseAll();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
