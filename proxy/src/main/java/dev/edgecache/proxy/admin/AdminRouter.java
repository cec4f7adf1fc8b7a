package dev.edgecache.proxy.admin;

import dev.edgecache.common.config.EdgeConfig;
import dev.edgecache.common.key.BadRequestTargetException;
import dev.edgecache.common.store.StoreException;
import dev.edgecache.proxy.cache.LiveRoutes;
import dev.edgecache.proxy.cache.Purger;
import dev.edgecache.proxy.cluster.ClusterNode;
import dev.edgecache.proxy.cluster.ClusterUnavailableException;
import dev.edgecache.proxy.deploy.DeployException;
import dev.edgecache.proxy.deploy.DeployRegistry;
import dev.edgecache.proxy.deploy.Prerenderer;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.origin.OriginException;
import dev.edgecache.proxy.store.StoreHealth;
import dev.edgecache.proxy.store.TieredStore;
import dev.edgecache.proxy.tls.LiveTls;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps admin calls to their handlers, checks the bearer token (constant-time) on everything but the health
 * checks, and turns failures into JSON errors. Calls that touch the disk run on the {@code work} executor, never on
 * the admin event loop. Thread-safe.
 */
public final class AdminRouter {
    private static final Logger log = LoggerFactory.getLogger(AdminRouter.class);
    private static final Logger audit = LoggerFactory.getLogger("edge.audit");

    private final byte[] token;
    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier ready;
    private final Supplier<Map<String, @Nullable Object>> originHealth;
    private final Supplier<StoreHealth.Snapshot> storeHealth;
    private final Executor work;
    private final PurgeCall purge;
    private final DeployCalls deploys;
    private final KeyCalls keys;
    private final ReloadCall reload;
    private final ClusterCall cluster;
    private final @Nullable ClusterNode clusterNode;

    AdminRouter(
            String token,
            PrometheusMeterRegistry registry,
            BooleanSupplier ready,
            Supplier<Map<String, @Nullable Object>> originHealth,
            Supplier<StoreHealth.Snapshot> storeHealth,
            Executor work,
            PurgeCall purge,
            DeployCalls deploys,
            KeyCalls keys,
            ReloadCall reload,
            @Nullable ClusterNode clusterNode) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.registry = registry;
        this.ready = ready;
        this.originHealth = originHealth;
        this.storeHealth = storeHealth;
        this.work = work;
        this.purge = purge;
        this.deploys = deploys;
        this.keys = keys;
        this.reload = reload;
        this.cluster = new ClusterCall(clusterNode);
        this.clusterNode = clusterNode;
    }

    /**
     * Wires the admin calls to the edge's parts.
     *
     * @param tls the reader port's certificates, which {@code POST /reload} reloads; null without {@code tls:}
     * @param adminTls the admin port's, likewise; null without {@code admin.tls:}
     */
    public static AdminRouter create(
            EdgeConfig config,
            @Nullable Path configFile,
            PrometheusMeterRegistry registry,
            BooleanSupplier ready,
            Supplier<Map<String, @Nullable Object>> originHealth,
            Executor work,
            EdgeMetrics metrics,
            TieredStore store,
            Purger purger,
            DeployRegistry deployRegistry,
            Prerenderer prerenderer,
            LiveRoutes routes,
            InstantSource clock,
            @Nullable ClusterNode cluster,
            @Nullable LiveTls tls,
            @Nullable LiveTls adminTls) {
        return new AdminRouter(
                config.admin().token(),
                registry,
                ready,
                originHealth,
                store.disk().health()::snapshot,
                work,
                new PurgeCall(purger, metrics, config.keyRules(), cluster),
                new DeployCalls(deployRegistry, prerenderer, store.disk(), cluster),
                new KeyCalls(store, deployRegistry, clock, config.keyRules()),
                new ReloadCall(configFile, config, routes, metrics, tls, adminTls),
                cluster);
    }

    /** Handles one call; the future completes with the answer, never exceptionally. */
    CompletableFuture<AdminResponse> handle(AdminRequest req, @Nullable String authorization) {
        String m = req.method();
        String p = req.path();
        if (p.equals("/healthz")) return done(AdminResponse.json(200, Map.of("status", "up")));
        if (p.equals("/readyz")) return done(readiness());
        if (!authorized(authorization)) {
            audit.info("admin.unauthorized who={} method={} path={}", req.caller(), m, p);
            return done(AdminResponse.error(
                    401,
                    token.length == 0
                            ? "admin.token is not set, so only /healthz and /readyz are served"
                            : "missing or wrong bearer token"));
        }
        if (m.equals("GET") && p.equals("/metrics")) return done(AdminResponse.text(registry.scrape()));
        if (m.equals("POST") && p.equals("/purge")) return onWorkLater(() -> purge.handle(req));
        if (m.equals("GET") && p.equals("/cluster")) return onWork(cluster::handle);
        if (m.equals("POST") && p.equals("/reload")) return onWork(() -> reload.handle(req));
        if (m.equals("GET") && p.equals("/keys")) return onWork(() -> keys.list(req));
        if (m.equals("GET") && p.equals("/keys/info")) return onWork(() -> keys.info(req));
        if (m.equals("GET") && p.equals("/deploys")) return onWork(deploys::list);
        if (m.equals("POST") && p.equals("/deploys")) {
            return onWorkLater(() -> deploys.create(req));
        }
        if (p.startsWith("/deploys/")) {
            String rest = p.substring("/deploys/".length());
            if (m.equals("POST") && rest.endsWith("/activate")) {
                String id = rest.substring(0, rest.length() - "/activate".length());
                return onWork(() -> deploys.activate(req, id));
            }
            if (m.equals("GET") && !rest.contains("/")) return onWork(() -> deploys.show(rest));
        }
        return done(AdminResponse.error(404, "no such admin call: " + m + " " + p));
    }

    /**
     * {@code {"ready":true,"origin":{"status":"reachable",...},"store":{"status":"ok"}}}. Ready means "can serve":
     * the reader port listens; an unreachable origin is a detail, not unreadiness (issue 10), unless {@code
     * admin.ready-requires-origin} says otherwise. A degraded store (disk full or read-only, issue 8.6) leaves the
     * edge ready, since misses are still served from the origin and hits from memory and disk, but says so:
     * {@code "store":{"status":"degraded","state":"no-space","reason":"...","since":"..."}}.
     */
    private AdminResponse readiness() {
        boolean ok = ready.getAsBoolean();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", ok);
        body.put("origin", originHealth.get());
        body.put("store", storeHealth.get().detail());
        ClusterNode c = clusterNode;
        if (c != null) { // not ready before the cluster log is replayed; degraded (still serving) while Redis is away
            ok = ok && c.caughtUp();
            body.put("ready", ok);
            body.put("cluster", c.redisUp() ? "ok" : "degraded: Redis unreachable");
        }
        return AdminResponse.json(ok ? 200 : 503, body);
    }

    private boolean authorized(@Nullable String header) {
        if (token.length == 0 || header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        return MessageDigest.isEqual(token, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    private CompletableFuture<AdminResponse> onWork(Supplier<AdminResponse> call) {
        try {
            return CompletableFuture.supplyAsync(call, work).exceptionally(AdminRouter::failure);
        } catch (RejectedExecutionException e) {
            return done(AdminResponse.error(503, "the admin port is busy; try again"));
        }
    }

    /**
     * Same as {@link #onWork}, for a call whose answer comes later. A full executor is a 503 here too: it used to
     * throw out of {@link #handle}, which closed the admin connection without an answer.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // the nested future is flattened at once by thenCompose
    private CompletableFuture<AdminResponse> onWorkLater(Supplier<CompletableFuture<AdminResponse>> call) {
        try {
            return CompletableFuture.supplyAsync(call, work).thenCompose(f -> f).exceptionally(AdminRouter::failure);
        } catch (RejectedExecutionException e) {
            return done(AdminResponse.error(503, "the admin port is busy; try again"));
        }
    }

    private static CompletableFuture<AdminResponse> done(AdminResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    private static AdminResponse failure(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof AdminJson.BadAdminRequest || e instanceof BadRequestTargetException) {
            return AdminResponse.error(400, e.getMessage());
        }
        if (e instanceof DeployException de) return DeployCalls.failure(de);
        if (e instanceof ClusterUnavailableException ce) return AdminResponse.error(503, ce.getMessage());
        if (e instanceof OriginException oe) { // a call that needed the origin (critical-from)
            return AdminResponse.error(oe.isTimeout() ? 504 : 502, "origin: " + oe.getMessage());
        }
        if (e instanceof StoreException) {
            log.warn("admin.store-error error=\"{}\"", e.toString());
            return AdminResponse.error(500, "store error: " + e.getMessage());
        }
        log.warn("admin.error error=\"{}\"", e.toString(), e);
        return AdminResponse.error(500, "internal error: " + e);
    }
}
