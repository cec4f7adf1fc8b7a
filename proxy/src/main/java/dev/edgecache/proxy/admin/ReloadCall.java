package dev.edgecache.proxy.admin;

import dev.edgecache.common.config.ConfigException;
import dev.edgecache.common.config.EdgeConfig;
import dev.edgecache.proxy.cache.LiveRoutes;
import dev.edgecache.proxy.cache.RouteTable;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /reload}: re-reads the config file and swaps in its routes, without touching connections. Only the
 * routes change (match, mode, ttl and every other per-route key), because they are read per request; the other
 * sections are wired into listeners, pools and the store at start, so they need a restart, and the answer names
 * the ones that differ ({@code restart-needed-for}). A bad file is refused with the same
 * {@code file:line key: message} as at start-up, and the old routes stay.
 */
final class ReloadCall {
    private static final Logger audit = LoggerFactory.getLogger("edge.audit");

    private final @Nullable Path configFile;
    private final EdgeConfig running;
    private final LiveRoutes routes;
    private final EdgeMetrics metrics;

    ReloadCall(@Nullable Path configFile, EdgeConfig running, LiveRoutes routes, EdgeMetrics metrics) {
        this.configFile = configFile;
        this.running = running;
        this.routes = routes;
        this.metrics = metrics;
    }

    AdminResponse handle(AdminRequest req) {
        if (configFile == null) return AdminResponse.error(409, "the edge was not started from a config file");
        EdgeConfig next;
        try {
            next = EdgeConfig.load(configFile);
        } catch (ConfigException e) {
            audit.warn("admin.reload who={} result=refused error=\"{}\"", req.caller(), e.getMessage());
            return AdminResponse.error(400, e.getMessage());
        }
        RouteTable table = new RouteTable(next.routes());
        metrics.registerRoutes(table.names());
        routes.replace(table);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("routes", next.routes().size());
        out.put("restart-needed-for", differences(next));
        audit.info(
                "admin.reload who={} result=ok routes={}",
                req.caller(),
                next.routes().size());
        return AdminResponse.json(200, out);
    }

    private java.util.List<String> differences(EdgeConfig next) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        if (!next.listen().equals(running.listen())) keys.add("listen");
        if (!next.origin().equals(running.origin())) keys.add("origin");
        if (!next.store().equals(running.store())) keys.add("store");
        if (!next.admin().equals(running.admin())) keys.add("admin");
        if (!next.limits().equals(running.limits())) keys.add("limits");
        if (!next.deploys().equals(running.deploys())) keys.add("deploys");
        if (!next.keyRules().equals(running.keyRules())) keys.add("sites, unknown-host, query, path");
        if (!next.trustedProxies().equals(running.trustedProxies())) keys.add("trusted-proxies");
        if (!next.accessLog().equals(running.accessLog())) keys.add("access-log");
        if (!next.errorPages().equals(running.errorPages())) keys.add("error-pages");
        if (!Objects.equals(next.tls(), running.tls())) keys.add("tls");
        return keys;
    }
}
