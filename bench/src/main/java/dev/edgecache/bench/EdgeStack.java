package dev.edgecache.bench;

import dev.edgecache.common.config.LimitsConfig;
import dev.edgecache.common.config.OriginConfig;
import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.config.RouteMode;
import dev.edgecache.common.key.KeyRules;
import dev.edgecache.proxy.cache.CacheAssembly;
import dev.edgecache.proxy.cache.PageCache;
import dev.edgecache.proxy.cache.RouteTable;
import dev.edgecache.proxy.deploy.DeployRegistry;
import dev.edgecache.proxy.internal.BoundedExecutor;
import dev.edgecache.proxy.internal.Buffers;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.origin.OriginClient;
import dev.edgecache.proxy.pipeline.ClientChannelInitializer;
import dev.edgecache.proxy.store.MemoryStore;
import dev.edgecache.proxy.store.RocksDbStore;
import dev.edgecache.proxy.store.TieredStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * The reader side of the edge wired as {@code EdgeServer.start} wires it (Prometheus metrics, a memory tier over
 * RocksDB in a temp dir, one persistent {@code /**} route), minus the sockets. The origin client points at a
 * closed port: a benchmark that reaches it is not measuring a hit, and fails.
 */
final class EdgeStack implements AutoCloseable {
    static final long MEMORY_BYTES = 256L << 20;

    private final Path dir;
    private final PrometheusMeterRegistry registry;
    private final ExecutorService storeExecutor;
    final TieredStore store;
    final ClientChannelInitializer initializer;

    EdgeStack() {
        RouteTable routes = new RouteTable(List.of(RouteConfig.of("/**", RouteMode.PERSISTENT, null)));
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        EdgeMetrics metrics = new EdgeMetrics(registry);
        metrics.registerRoutes(routes.names());
        dir = TempDir.create("edge-bench-pipeline");
        RocksDbStore disk;
        try {
            disk = RocksDbStore.open(dir, metrics::storeCorrupt);
        } catch (RuntimeException e) { // JMH skips tear-down when set-up fails
            TempDir.delete(dir);
            throw e;
        }
        store = new TieredStore(new MemoryStore(MEMORY_BYTES), disk);
        storeExecutor = BoundedExecutor.create("bench-store", 1, 64);
        DeployRegistry deploys = DeployRegistry.load(disk, Pages.DEPLOY, 3, InstantSource.system(), storeExecutor);
        OriginClient origin =
                new OriginClient(OriginConfig.of(URI.create("http://127.0.0.1:9")), NioSocketChannel.class, metrics);
        PageCache cache = CacheAssembly.builder(store, storeExecutor, deploys, deploys::liveIds, origin, metrics)
                .build()
                .cache();
        initializer = new ClientChannelInitializer(
                LimitsConfig.defaults(), () -> routes, cache, metrics, Duration.ofSeconds(10), KeyRules.DEFAULT);
    }

    /** A connection as the server accepts it: auto-read off (as {@code EdgeServer}'s child option), initialised. */
    EmbeddedSocketChannel connect() throws Exception {
        EmbeddedSocketChannel ch = new EmbeddedSocketChannel();
        ch.config().setAutoRead(false).setAllocator(Buffers.ALLOCATOR); // as EdgeServer's child options
        ch.pipeline().addLast(initializer);
        ch.register(); // runs the initializer, then channelActive, where the handler issues the first read()
        return ch;
    }

    @Override
    public void close() {
        storeExecutor.shutdownNow();
        store.close();
        registry.close();
        TempDir.delete(dir);
    }
}
