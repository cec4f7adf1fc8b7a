package dev.edgecache.proxy;

import dev.edgecache.common.config.EdgeConfig;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.proxy.admin.AdminServer;
import dev.edgecache.proxy.cache.Fetched;
import dev.edgecache.proxy.cache.PageCache;
import dev.edgecache.proxy.cache.RequestCoalescer;
import dev.edgecache.proxy.cache.RouteTable;
import dev.edgecache.proxy.internal.BoundedExecutor;
import dev.edgecache.proxy.internal.Transport;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.origin.OriginClient;
import dev.edgecache.proxy.pipeline.ClientChannelInitializer;
import dev.edgecache.proxy.store.DeployPointer;
import dev.edgecache.proxy.store.MemoryStore;
import dev.edgecache.proxy.store.RocksDbStore;
import dev.edgecache.proxy.store.TieredStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running edge: reader port, admin port, stores and origin client. Owns every resource it creates (event
 * loop groups, the store executor, the RocksDB store) and releases them in {@link #close()}, in reverse order.
 */
public final class EdgeServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EdgeServer.class);
    static final int STORE_THREADS = 2;
    static final int STORE_QUEUE = 10_000;
    static final int MAX_WAITERS_PER_KEY = 4096;
    /** Collapsed waiters wait for the origin timeout plus this, to cover the store write. */
    static final Duration WAITER_MARGIN = Duration.ofSeconds(1);

    private final EdgeConfig config;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final ExecutorService storeExecutor;
    private final TieredStore store;
    private final EdgeMetrics metrics;
    private final PrometheusMeterRegistry registry;
    private final OriginClient origin;
    private final Channel channel;
    private final AdminServer admin;
    private final DeployPointer deploys;

    private EdgeServer(Builder b) {
        this.config = b.config;
        this.bossGroup = b.bossGroup;
        this.workerGroup = b.workerGroup;
        this.storeExecutor = b.storeExecutor;
        this.store = b.store;
        this.metrics = b.metrics;
        this.registry = b.registry;
        this.origin = b.origin;
        this.channel = b.channel;
        this.admin = b.admin;
        this.deploys = b.deploys;
    }

    /** Opens the stores, binds both ports and returns once they listen. */
    public static EdgeServer start(EdgeConfig config, InstantSource clock) throws InterruptedException {
        Builder b = new Builder();
        b.config = config;
        try {
            Transport transport = Transport.best();
            RouteTable routes = new RouteTable(config.routes());
            b.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            b.metrics = new EdgeMetrics(b.registry, routes.names());
            RocksDbStore disk = RocksDbStore.open(config.store().path(), b.metrics::storeCorrupt);
            b.store = new TieredStore(new MemoryStore(config.store().memory().bytes()), disk);
            b.metrics.monitorStores(b.store.memory(), disk);
            b.deploys = DeployPointer.load(disk, config.deploy());
            b.storeExecutor = BoundedExecutor.create("edge-store", STORE_THREADS, STORE_QUEUE);
            b.bossGroup = transport.newGroup(1, "edge-accept");
            b.workerGroup = transport.newGroup(0, "edge-io");
            b.origin = new OriginClient(config.origin(), transport.clientChannel(), b.metrics);
            PageCache cache = new PageCache(b.store, b.storeExecutor, b.deploys, b.origin,
                    new RequestCoalescer<EntryKey, Fetched>(MAX_WAITERS_PER_KEY), b.metrics, clock);
            Duration waiterTimeout = config.origin().timeout().plus(WAITER_MARGIN);
            b.channel = new ServerBootstrap()
                    .group(b.bossGroup, b.workerGroup)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ClientChannelInitializer(config.limits(), routes, cache, b.metrics, waiterTimeout))
                    .bind(config.listen().toSocketAddress())
                    .sync()
                    .channel();
            b.admin = AdminServer.start(config.admin(), transport, b.registry, () -> b.channel.isActive());
            EdgeServer server = new EdgeServer(b);
            log.info("edge.listen edge={} admin={} origin={} transport={} deploy={} routes={}",
                    server.address(), config.admin().listen().host() + ":" + server.adminPort(), config.origin().url(),
                    transport.name().toLowerCase(java.util.Locale.ROOT), b.deploys.active(), routes.names().size() - 1);
            log.info("edge.store path={} memory={} entries-on-disk~{}",
                    config.store().path().toAbsolutePath(), config.store().memory(), disk.estimatedPages());
            return server;
        } catch (InterruptedException | RuntimeException e) {
            b.closeAll();
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public int adminPort() {
        return admin.port();
    }

    private String address() {
        return config.listen().host() + ":" + port();
    }

    public EdgeMetrics metrics() {
        return metrics;
    }

    public TieredStore store() {
        return store;
    }

    public DeployPointer deploys() {
        return deploys;
    }

    @Override
    public void close() {
        log.info("edge.stop edge={}", address());
        new Builder().from(this).closeAll();
    }

    /** Holds the resources while they are created, so a failed start releases what it had made. */
    private static final class Builder {
        EdgeConfig config;
        EventLoopGroup bossGroup;
        EventLoopGroup workerGroup;
        ExecutorService storeExecutor;
        TieredStore store;
        EdgeMetrics metrics;
        PrometheusMeterRegistry registry;
        OriginClient origin;
        Channel channel;
        AdminServer admin;
        DeployPointer deploys;

        Builder from(EdgeServer s) {
            config = s.config;
            bossGroup = s.bossGroup;
            workerGroup = s.workerGroup;
            storeExecutor = s.storeExecutor;
            store = s.store;
            origin = s.origin;
            channel = s.channel;
            admin = s.admin;
            registry = s.registry;
            return this;
        }

        /** Reverse order of creation: stop accepting, drain loops and the store pool, then close the store. */
        void closeAll() {
            if (admin != null) admin.close();
            if (channel != null) channel.close().syncUninterruptibly();
            if (origin != null) origin.closeIdle();
            if (bossGroup != null) bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            if (workerGroup != null) workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            if (storeExecutor != null) {
                storeExecutor.shutdown();
                try {
                    if (!storeExecutor.awaitTermination(5, TimeUnit.SECONDS)) storeExecutor.shutdownNow();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (store != null) store.close();
            if (registry != null) registry.close();
        }
    }
}
