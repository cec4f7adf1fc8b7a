package dev.edgecache.proxy.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.edgecache.proxy.cluster.ClusterDeploys;
import dev.edgecache.proxy.cluster.ClusterNode;
import dev.edgecache.proxy.cluster.ClusterUnavailableException;
import dev.edgecache.proxy.deploy.DeployException;
import dev.edgecache.proxy.deploy.DeployInfo;
import dev.edgecache.proxy.deploy.DeployRegistry;
import dev.edgecache.proxy.deploy.Prerenderer;
import dev.edgecache.proxy.store.RocksDbStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /deploys} calls: create (prerender then activate), list, show, activate. Blocking; admin work executor. In a
 * cluster a deploy is created for every node ({@link ClusterDeploys}).
 */
final class DeployCalls {
    private static final Logger audit = LoggerFactory.getLogger("edge.audit");

    private final DeployRegistry registry;
    private final Prerenderer prerenderer;
    private final RocksDbStore disk;
    private final @Nullable ClusterNode cluster;

    DeployCalls(DeployRegistry registry, Prerenderer prerenderer, RocksDbStore disk, @Nullable ClusterNode cluster) {
        this.registry = registry;
        this.prerenderer = prerenderer;
        this.disk = disk;
        this.cluster = cluster;
    }

    CompletableFuture<AdminResponse> create(AdminRequest req) {
        DeployBody body = AdminJson.read(req.body(), DeployBody.class);
        if (cluster != null && !cluster.redisUp()) { // its activation would have nowhere to go
            return CompletableFuture.completedFuture(AdminResponse.error(
                    503, "cluster: Redis is unreachable, so no deploy can be created for the cluster; retry later"));
        }
        if (registry.get(body.id()).filter(d -> d.state().isLive()).isPresent()) {
            return CompletableFuture.completedFuture(
                    AdminResponse.error(409, "deploy " + body.id() + " already exists"));
        }
        CompletableFuture<List<String>> paths = body.critical() != null
                ? CompletableFuture.completedFuture(body.critical())
                : prerenderer.criticalFrom(
                        Objects.requireNonNull(body.criticalFrom())); // validate(): exactly one is set
        ClusterNode c = cluster;
        if (c != null) { // issue 9: created for the whole cluster through its log; every node renders and reports
            ClusterDeploys work =
                    c.deployWork().orElseThrow(() -> new IllegalStateException("cluster deploys are not wired yet"));
            return paths.thenApply(p -> {
                DeployInfo d = work.create(body.id(), p);
                audit.info("admin.deploy who={} id={} critical={} scope=cluster", req.caller(), body.id(), p.size());
                return AdminResponse.json(202, d);
            });
        }
        return paths.thenApply(p -> {
            DeployInfo d = prerenderer.start(body.id(), p);
            audit.info("admin.deploy who={} id={} critical={}", req.caller(), body.id(), p.size());
            return AdminResponse.json(202, d);
        });
    }

    AdminResponse list() {
        String active = registry.active();
        List<Map<String, Object>> out = new ArrayList<>();
        for (DeployInfo d : registry.list()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", d.id());
            row.put("state", d.state());
            RocksDbStore.PageCount count =
                    d.state().isLive() ? disk.countPages(d.id()) : new RocksDbStore.PageCount(0, false);
            row.put("pages", count.pages());
            if (count.estimated()) row.put("pages-estimated", true);
            row.put("active", d.id().equals(active));
            row.put("created-at", d.createdAt());
            out.add(row);
        }
        return AdminResponse.json(200, Map.of("deploys", out));
    }

    /**
     * The deploy as this node knows it; in a cluster also {@code "nodes"}: every node's progress on it (issue 9),
     * or {@code "nodes-unavailable"} with the reason while Redis cannot be read.
     */
    AdminResponse show(String id) {
        Optional<DeployInfo> known = registry.get(id);
        if (known.isEmpty()) return AdminResponse.error(404, "no deploy " + id);
        Optional<ClusterDeploys> work = cluster == null ? Optional.empty() : cluster.deployWork();
        if (work.isEmpty()) return AdminResponse.json(200, known.get());
        Map<String, Object> out = AdminJson.MAPPER.convertValue(known.get(), new TypeReference<>() {});
        try {
            out.put("nodes", work.get().progress(id));
        } catch (ClusterUnavailableException e) {
            out.put("nodes-unavailable", e.getMessage());
        }
        return AdminResponse.json(200, out);
    }

    AdminResponse activate(AdminRequest req, String id) {
        ClusterNode c = cluster;
        if (c != null) { // every node switches at the activation's point in the cluster log, this one included
            DeployInfo known = registry.get(id)
                    .orElseThrow(() -> new DeployException(DeployException.Kind.NOT_FOUND, "no deploy " + id));
            if (known.state().isLive()) {
                String position = c.activate(id).join().toString();
                audit.info("admin.activate who={} id={} position={}", req.caller(), id, position);
                return AdminResponse.json(200, registry.get(id).orElse(known));
            }
        }
        DeployInfo d = registry.activate(id);
        audit.info("admin.activate who={} id={}", req.caller(), id);
        return AdminResponse.json(200, d);
    }

    static AdminResponse failure(DeployException e) {
        int status = switch (e.kind()) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case BAD_REQUEST -> 400;
        };
        return AdminResponse.error(status, e.getMessage());
    }
}
