package dev.edgecache.proxy;

import dev.edgecache.common.config.AdminTlsConfig;
import dev.edgecache.common.config.ClusterConfig;
import dev.edgecache.common.config.EdgeConfig;
import dev.edgecache.common.config.TlsConfig;
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
import dev.edgecache.proxy.pipeline.AltSvc;
import dev.edgecache.proxy.pipeline.ClientChannelInitializer;
import dev.edgecache.proxy.pipeline.ClientHttp3;
import dev.edgecache.proxy.pipeline.ClientTlsChannelInitializer;
import dev.edgecache.proxy.pipeline.ErrorPages;
import dev.edgecache.proxy.store.MemoryStore;
import dev.edgecache.proxy.store.RocksDbStore;
import dev.edgecache.proxy.store.TieredStore;
import dev.edgecache.proxy.tls.LiveTls;
import dev.edgecache.proxy.tls.QuicTls;
import dev.edgecache.proxy.tls.SiteCertificate;
import dev.edgecache.proxy.tls.TlsContexts;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    /** Netty's property for the number of event loops, which {@link #ioThreads} honours. */
    static final String IO_THREADS_PROPERTY = "io.netty.eventLoopThreads";

    static final int STORE_QUEUE = 10_000;
    static final int ADMIN_QUEUE = 1_000;
    /** How long a cluster node waits at start to replay the cluster log before it serves anyway (soft-purged). */
    static final Duration CLUSTER_CATCH_UP_TIMEOUT = Duration.ofSeconds(20);
    /** How often the TLS certificate and key files are checked for changes (issue 13: reload without a restart). */
    static final Duration TLS_FILE_CHECK = Duration.ofSeconds(2);

    private final Resources resources;
    private final String address;
    private final Channel channel;
    /** The TLS reader port (issue 13); null without a {@code tls:} section. */
    private final @Nullable Channel tlsChannel;
    /** The TLS port's certificates (issue 13); null without a {@code tls:} section. */
    private final @Nullable LiveTls tls;
    /** The admin port's certificates (issue 13); null without {@code admin.tls:}. */
    private final @Nullable LiveTls adminTls;
    /** The HTTP/3 (QUIC, UDP) port (issue 13); null unless {@code tls.http3}. */
    private final @Nullable Channel quicChannel;

    private final AdminServer admin;
    private final EdgeMetrics metrics;
    private final TieredStore store;
    private final DeployRegistry deploys;

    private EdgeServer(
            Resources resources,
            String address,
            Channel channel,
            @Nullable Channel tlsChannel,
            @Nullable LiveTls tls,
            @Nullable Channel quicChannel,
            @Nullable LiveTls adminTls,
            AdminServer admin,
            EdgeMetrics metrics,
            TieredStore store,
            DeployRegistry deploys) {
        this.resources = resources;
        this.address = address;
        this.channel = channel;
        this.tlsChannel = tlsChannel;
        this.tls = tls;
        this.adminTls = adminTls;
        this.quicChannel = quicChannel;
        this.admin = admin;
        this.metrics = metrics;
        this.store = store;
        this.deploys = deploys;
    }

    /**
     * Event loops for reader connections: one per core, where Netty's default is two. On the 2-core bench box the hit
     * p99 at 128 connections halved with one per core (10.9 → 6.0 ms at 1 KiB, 14.3 → 7.2 ms at 16 KiB, req/s the
     * same within noise; RESULTS §19): a loop waiting for a core holds every answer of its connections. Netty's own
     * {@code -Dio.netty.eventLoopThreads} still decides when set.
     */
    static int ioThreads() {
        return Math.max(
                1, Integer.getInteger(IO_THREADS_PROPERTY, Runtime.getRuntime().availableProcessors()));
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
        return start(config, configFile, clock, TLS_FILE_CHECK);
    }

    /**
     * Same, checking the certificate files every {@code tlsFileCheck} (tests make it long, to show that {@code POST
     * /reload} reloads without the check).
     */
    public static EdgeServer start(
            EdgeConfig config, @Nullable Path configFile, InstantSource clock, Duration tlsFileCheck)
            throws InterruptedException {
        // issue 13: certificates are checked before anything is opened or bound, so a bad one costs nothing
        LiveTls tls = config.tls() == null ? null : LiveTls.load(config.tls(), clock);
        AdminTlsConfig adminTlsConfig = config.admin().tls();
        LiveTls adminTls = adminTlsConfig == null ? null : LiveTls.forAdmin(adminTlsConfig, clock);
        // issue 13: HTTP/3 needs the native QUIC library; without it the start fails here, saying so
        QuicTls quicTls =
                tls != null && Objects.requireNonNull(config.tls()).http3() ? QuicTls.follow(tls::current) : null;
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
            EventLoopGroup workerGroup = resources.addGroup(transport.newGroup(ioThreads(), "edge-io"));
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
            ClientChannelInitializer http = new ClientChannelInitializer(
                    config.limits(),
                    routes,
                    cache,
                    metrics,
                    config.origin().timeout(),
                    config.keyRules(),
                    config.trustedProxyBlocks(),
                    accessLog,
                    ErrorPages.load(config.errorPages()));
            ClientChannelInitializer plain =
                    config.tls() != null && config.tls().h2c()
                            ? http.withH2c(config.tls().http2MaxConcurrentStreams())
                            : http;
            // tls.redirect-plain: the TLS port is bound after the plain one; until then the configured port is named
            AtomicInteger boundTlsPort = new AtomicInteger(
                    config.tls() == null ? 0 : config.tls().listen().port());
            if (config.tls() != null && config.tls().redirectPlain())
                plain = plain.withRedirectToTls(boundTlsPort::get);
            Channel channel = new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.ALLOCATOR, Buffers.ALLOCATOR)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(plain)
                    .bind(config.listen().toSocketAddress())
                    .sync()
                    .channel();
            resources.add(() -> channel.close().syncUninterruptibly());
            AltSvc altSvc = quicTls == null ? null : new AltSvc();
            ClientChannelInitializer https = withHsts(http, config.tls()); // the TLS port's: TCP and QUIC
            Channel tlsChannel = tls == null
                    ? null
                    : bindTls(
                            Objects.requireNonNull(config.tls()),
                            tls,
                            https,
                            transport,
                            bossGroup,
                            workerGroup,
                            altSvc);
            if (tlsChannel != null) resources.add(() -> tlsChannel.close().syncUninterruptibly());
            if (tlsChannel != null) boundTlsPort.set(((InetSocketAddress) tlsChannel.localAddress()).getPort());
            Channel quicChannel = null;
            if (quicTls != null && tlsChannel != null && altSvc != null) {
                TlsConfig tlsConfig = Objects.requireNonNull(config.tls());
                int port = ((InetSocketAddress) tlsChannel.localAddress()).getPort();
                Channel bound = bindQuic(
                        tlsConfig,
                        port,
                        new ClientHttp3(https, quicTls.serverContext(), tlsConfig.http2MaxConcurrentStreams()),
                        transport,
                        workerGroup);
                resources.add(() -> bound.close().syncUninterruptibly());
                altSvc.advertise(port); // only now that the QUIC port listens
                quicChannel = bound;
            }
            if (tls != null || adminTls != null) {
                ScheduledExecutorService reloads = Executors.newSingleThreadScheduledExecutor(
                        Thread.ofPlatform().name("edge-tls-reload").daemon().factory());
                resources.addExecutor(reloads);
                for (LiveTls live : new LiveTls[] {tls, adminTls}) {
                    if (live == null) continue;
                    // checkFiles never throws, and the executor is shut down with the server: nothing to watch for
                    var unused = reloads.scheduleWithFixedDelay(
                            live::checkFiles, tlsFileCheck.toMillis(), tlsFileCheck.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
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
                    cluster,
                    tls,
                    adminTls);
            AdminServer admin = resources.add(AdminServer.start(config.admin(), transport, router, adminTls));
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
            if (tls != null && tlsChannel != null) logTls(tls.current(), config.tls(), tlsChannel);
            if (quicChannel != null && config.tls() != null) {
                log.info(
                        "edge.http3 listen=udp:{}:{} experimental=true quic={} alpn={} max-streams={} idle-timeout={}s"
                                + " certificates=tls.certificates reload=on-next-handshake",
                        config.tls().listen().host(),
                        ((InetSocketAddress) quicChannel.localAddress()).getPort(),
                        "quiche (netty-codec-native-quic)",
                        QuicTls.ALPN,
                        config.tls().http2MaxConcurrentStreams(),
                        ClientHttp3.IDLE_TIMEOUT.toSeconds());
            }
            if (adminTls != null) {
                log.info(
                        "edge.admin-tls admin=https://{}:{} https-only=true provider={} protocols={} certificates=\"{}\"",
                        config.admin().listen().host(),
                        admin.port(),
                        adminTls.current().providerDescription(),
                        String.join(",", TlsContexts.PROTOCOLS),
                        describe(adminTls.current()));
            }
            log.info(
                    "edge.store path={} memory={} entries-on-disk~{}",
                    config.store().path().toAbsolutePath(),
                    config.store().memory(),
                    disk.estimatedPages());
            return new EdgeServer(
                    resources,
                    address,
                    channel,
                    tlsChannel,
                    tls,
                    quicChannel,
                    adminTls,
                    admin,
                    metrics,
                    store,
                    deploys);
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

    /** The TLS port's certificates, reloaded when their files change (issue 13). */
    public LiveTls tls() {
        if (tls == null) throw new IllegalStateException("no tls: section");
        return tls;
    }

    /** The admin port's certificates, reloaded like the reader port's (issue 13). */
    public LiveTls adminTls() {
        if (adminTls == null) throw new IllegalStateException("no admin.tls: section");
        return adminTls;
    }

    /** The TLS reader port (issue 13). */
    public int tlsPort() {
        if (tlsChannel == null) throw new IllegalStateException("no tls: section, so no TLS port");
        return ((InetSocketAddress) tlsChannel.localAddress()).getPort();
    }

    /** The HTTP/3 (QUIC, UDP) reader port (issue 13, {@code tls.http3}): the TLS port's number. */
    public int http3Port() {
        if (quicChannel == null) throw new IllegalStateException("tls.http3 is off, so no HTTP/3 port");
        return ((InetSocketAddress) quicChannel.localAddress()).getPort();
    }

    /**
     * Binds the HTTP/3 port (issue 13): a UDP socket on the TLS port's host and {@code port} (the TCP port's number,
     * also when {@code tls.listen} asked for any port), whose QUIC connections all run on one of the reader event
     * loops.
     *
     * @throws IllegalStateException naming the address when the UDP port cannot be bound
     */
    private static Channel bindQuic(
            TlsConfig config, int port, ClientHttp3 http3, Transport transport, EventLoopGroup workerGroup)
            throws InterruptedException {
        InetSocketAddress address = new InetSocketAddress(config.listen().host(), port);
        try {
            return new Bootstrap()
                    .group(workerGroup)
                    .channel(transport == Transport.EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class)
                    .handler(http3.newServerCodec())
                    .bind(address)
                    .sync()
                    .channel();
        } catch (RuntimeException e) { // Netty rethrows the bind's checked exception unchecked
            throw new IllegalStateException("tls.http3: cannot listen on udp " + address + ": " + e, e);
        }
    }

    /**
     * Binds the TLS reader port (issue 13) on the reader port's event loops. Auto-read is on, unlike the plain port,
     * so that the handshake reads by itself ({@link ClientTlsChannelInitializer}).
     */
    private static Channel bindTls(
            TlsConfig config,
            LiveTls contexts,
            ClientChannelInitializer http,
            Transport transport,
            EventLoopGroup bossGroup,
            EventLoopGroup workerGroup,
            @Nullable AltSvc altSvc)
            throws InterruptedException {
        return new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.ALLOCATOR, Buffers.ALLOCATOR)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(
                        new ClientTlsChannelInitializer(http, contexts, config.http2MaxConcurrentStreams(), altSvc))
                .bind(config.listen().toSocketAddress())
                .sync()
                .channel();
    }

    /** The TLS port's handlers: the plain port's, adding {@code Strict-Transport-Security} with {@code tls.hsts}. */
    private static ClientChannelInitializer withHsts(ClientChannelInitializer http, @Nullable TlsConfig config) {
        String hsts = config == null ? null : config.hsts();
        return hsts == null ? http : http.withHsts(hsts);
    }

    /** Each certificate's file, names and end of validity, for the start-up log. */
    private static String describe(TlsContexts contexts) {
        StringBuilder certificates = new StringBuilder();
        for (SiteCertificate site : contexts.certificates()) {
            if (!certificates.isEmpty()) certificates.append(' ');
            certificates
                    .append(site.certFile())
                    .append(site.names())
                    .append("(until ")
                    .append(site.leaf().getNotAfter().toInstant())
                    .append(')');
        }
        return certificates.toString();
    }

    private static void logTls(TlsContexts contexts, @Nullable TlsConfig config, Channel tlsChannel) {
        String certificates = describe(contexts);
        log.info(
                "edge.tls listen={}:{} provider={} protocols={} alpn={} max-streams={} certificates=\"{}\"",
                config == null ? "?" : config.listen().host(),
                ((InetSocketAddress) tlsChannel.localAddress()).getPort(),
                contexts.providerDescription(),
                String.join(",", TlsContexts.PROTOCOLS),
                String.join(",", contexts.alpn()),
                config == null ? "?" : config.http2MaxConcurrentStreams(),
                certificates);
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
