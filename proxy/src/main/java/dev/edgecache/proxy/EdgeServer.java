package dev.edgecache.proxy;

import dev.edgecache.common.config.ClusterConfig;
import dev.edgecache.common.config.EdgeConfig;
import dev.edgecache.proxy.accesslog.AccessLog;
import dev.edgecache.proxy.admin.AdminRouter;
import dev.edgecache.proxy.admin.AdminServer;
import dev.edgecache.proxy.cache.CacheAssembly;
import dev.edgecache.proxy.cache.LiveRoutes;
import dev.edgecache.proxy.cache.PageCache;
import dev.edgecache.proxy.cache.Purger;
import dev.edgecache.proxy.cache.RouteTable;
import dev.edgecache.proxy.cluster.ClusterDeploys;
import dev.edgecache.proxy.cluster.ClusterNode;
import dev.edgecache.proxy.cluster.PeerClient;
import dev.edgecache.proxy.cluster.PeerFill;
import dev.edgecache.proxy.cluster.PeerServer;
import dev.edgecache.proxy.deploy.DeployRegistry;
import dev.edgecache.proxy.deploy.Prerenderer;
import dev.edgecache.proxy.internal.BoundedExecutor;
import dev.edgecache.proxy.internal.Buffers;
import dev.edgecache.proxy.internal.Resources;
import dev.edgecache.proxy.internal.Transport;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.origin.OriginClient;
import dev.edgecache.proxy.pipeline.ClientChannelInitializer;
import dev.edgecache.proxy.pipeline.ErrorPages;
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
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running edge: reader port, admin port, stores, origin client, deploys. Owns every resource it creates
 * (event loop groups, executors, the RocksDB store, the meter registry) through one {@link Resources} list, and
 * releases them in reverse order of creation in {@link #close()}, or when start-up fails half way.
 */
public final class EdgeServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EdgeServer.class);
    static final int STORE_THREADS = 2;
    static final int STORE_QUEUE = 10_000;
    static final int ADMIN_QUEUE = 1_000;
    /** How long a cluster node waits at start to replay the cluster log before it serves anyway (soft-purged). */
    static final Duration CLUSTER_CATCH_UP_TIMEOUT = Duration.ofSeconds(20);

    private final Resources resources;
    private final String address;
    private final Channel channel;
    private final AdminServer admin;
    private final EdgeMetrics metrics;
    private final TieredStore store;
    private final DeployRegistry deploys;

    private EdgeServer(
            Resources resources,
            String address,
            Channel channel,
            AdminServer admin,
            EdgeMetrics metrics,
            TieredStore store,
            DeployRegistry deploys) {
        this.resources = resources;
        this.address = address;
        this.channel = channel;
        this.admin = admin;
        this.metrics = metrics;
        this.store = store;
        this.deploys = deploys;
    }

    public static EdgeServer start(EdgeConfig config, InstantSource clock) throws InterruptedException {
        return start(config, null, clock);
    }

    /**
     * Opens the stores, binds both ports and returns once they listen.
     *
     * @param configFile where {@code config} was read from, for {@code POST /reload}; null when built in code
     */
    public static EdgeServer start(EdgeConfig config, @Nullable Path configFile, InstantSource clock)
            throws InterruptedException {
        Resources resources = new Resources();
        try {
            Transport transport = Transport.best();
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            resources.add(registry::close);
            EdgeMetrics metrics = new EdgeMetrics(registry);
            LiveRoutes routes = new LiveRoutes(new RouteTable(config.routes()));
            metrics.registerRoutes(routes.get().names());
            RocksDbStore disk = RocksDbStore.open(config.store(), clock, metrics::storeCorrupt);
            TieredStore store = resources.add(
                    new TieredStore(new MemoryStore(config.store().memory().bytes()), disk));
            metrics.monitorStores(store.memory(), disk);
            metrics.monitorStoreHealth(disk.health());
            metrics.monitorDiskMemory(disk);
            ExecutorService storeExecutor =
                    resources.addExecutor(BoundedExecutor.create("edge-store", STORE_THREADS, STORE_QUEUE));
            ExecutorService adminWork =
                    resources.addExecutor(BoundedExecutor.create("edge-admin-work", 1, ADMIN_QUEUE));
            DeployRegistry deploys =
                    DeployRegistry.load(disk, config.deploy(), config.store().retainDeploys(), clock, adminWork);
            deploys.reportTo(metrics);
            EventLoopGroup bossGroup = resources.addGroup(transport.newGroup(1, "edge-accept"));
            EventLoopGroup workerGroup = resources.addGroup(transport.newGroup(0, "edge-io"));
            OriginClient origin = new OriginClient(config.origin(), transport.clientChannel(), metrics);
            resources.add(origin::closeIdle);
            AccessLog accessLog = resources.add(AccessLog.open(config.accessLog()));
            CacheAssembly assembly = CacheAssembly.builder(
                            store, storeExecutor, deploys, deploys::liveIds, origin, metrics)
                    .clock(clock)
                    .keyRules(config.keyRules())
                    .errorBackoff(config.origin().errorBackoff())
                    .build();
            PageCache cache = assembly.cache();
            Purger purger = assembly.purger();
            ClusterNode cluster = config.cluster() == null
                    ? null
                    : joinCluster(
                            config.cluster(),
                            resources,
                            transport,
                            bossGroup,
                            workerGroup,
                            cache,
                            routes,
                            disk,
                            purger,
                            deploys,
                            clock);
            Channel channel = new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.ALLOCATOR, Buffers.ALLOCATOR)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ClientChannelInitializer(
                            config.limits(),
                            routes,
                            cache,
                            metrics,
                            config.origin().timeout(),
                            config.keyRules(),
                            config.trustedProxyBlocks(),
                            accessLog,
                            ErrorPages.load(config.errorPages())))
                    .bind(config.listen().toSocketAddress())
                    .sync()
                    .channel();
            resources.add(() -> channel.close().syncUninterruptibly());
            Prerenderer prerenderer = new Prerenderer(
                    cache,
                    routes,
                    deploys,
                    origin,
                    workerGroup,
                    adminWork,
                    config.deploys().concurrency(),
                    config.deploys().maxFailureRatio(),
                    config.keyRules());
            if (cluster != null) resources.add(ClusterDeploys.attach(cluster, deploys, prerenderer, clock));
            AdminRouter router = AdminRouter.create(
                    config,
                    configFile,
                    registry,
                    () -> channel.isActive() && (!config.admin().readyRequiresOrigin() || origin.recentlyReachable()),
                    origin::health,
                    adminWork,
                    metrics,
                    store,
                    purger,
                    deploys,
                    prerenderer,
                    routes,
                    clock,
                    cluster);
            AdminServer admin = resources.add(AdminServer.start(config.admin(), transport, router));
            String address = config.listen().host() + ":" + ((InetSocketAddress) channel.localAddress()).getPort();
            log.info(
                    "edge.listen edge={} admin={}:{} origin={} transport={} deploy={} routes={}",
                    address,
                    config.admin().listen().host(),
                    admin.port(),
                    config.origin().url(),
                    transport.name().toLowerCase(Locale.ROOT),
                    deploys.active(),
                    config.routes().size());
            log.info(
                    "edge.store path={} memory={} entries-on-disk~{}",
                    config.store().path().toAbsolutePath(),
                    config.store().memory(),
                    disk.estimatedPages());
            return new EdgeServer(resources, address, channel, admin, metrics, store, deploys);
        } catch (InterruptedException | RuntimeException e) {
            resources.close();
            throw e;
        }
    }

    /**
     * Issue 9: binds the peer-fill port (so that the heartbeat carries the port actually bound), joins the cluster
     * (replaying its log before the reader port binds), then lets misses ask the key's owner.
     */
    private static ClusterNode joinCluster(
            ClusterConfig config,
            Resources resources,
            Transport transport,
            EventLoopGroup bossGroup,
            EventLoopGroup workerGroup,
            PageCache cache,
            LiveRoutes routes,
            RocksDbStore disk,
            Purger purger,
            DeployRegistry deploys,
            InstantSource clock)
            throws InterruptedException {
        PeerFill fill = resources.add(new PeerFill(
                config.nodeId(), new PeerClient(config.token(), config.peer().timeout())));
        PeerServer peers = resources.add(PeerServer.start(
                config.peer().listen(),
                bossGroup,
                workerGroup,
                transport.serverChannel(),
                config.token(),
                cache,
                routes,
                fill,
                fill.node()));
        String peerAddress = config.peer().listen().host() + ":" + peers.port();
        ClusterNode node = resources.add(
                ClusterNode.start(config, peerAddress, disk, purger, deploys, clock, CLUSTER_CATCH_UP_TIMEOUT));
        fill.follow(node);
        cache.fillFrom(fill);
        log.info(
                "cluster.peer-fill node={} peer={} timeout={}",
                config.nodeId(),
                peerAddress,
                config.peer().timeout());
        return node;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public int adminPort() {
        return admin.port();
    }

    public EdgeMetrics metrics() {
        return metrics;
    }

    public TieredStore store() {
        return store;
    }

    public DeployRegistry deploys() {
        return deploys;
    }

    @Override
    public void close() {
        log.info("edge.stop edge={}", address);
        resources.close();
    }
}
