package dev.edgecache.proxy.admin;

import dev.edgecache.common.config.AdminConfig;
import dev.edgecache.common.config.AdminTlsConfig;
import dev.edgecache.common.config.ConfigException;
import dev.edgecache.common.config.EdgeConfig;
import dev.edgecache.common.config.TlsConfig;
import dev.edgecache.proxy.cache.LiveRoutes;
import dev.edgecache.proxy.cache.RouteTable;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.tls.LiveTls;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /reload}: re-reads the config file and swaps in its routes, without touching connections. The routes
 * change (match, mode, ttl and every other per-route key), because they are read per request; so do the TLS
 * certificates of the reader port ({@code tls.certificates}) and of the admin port ({@code admin.tls.certificates},
 * issue 13), which are read again now (without waiting for the file check) and taken for new connections, while
 * open connections keep theirs. A certificate set that fails (expired, mismatched, unreadable) is refused and the
 * running one stays: the answer says {@code "tls":"reloaded"|"unchanged"|"refused: <reason>"} (and {@code
 * "admin-tls"} likewise) with the routes still swapped. The other sections, TLS keys other than the certificates
 * included, are wired into listeners, pools and the store at start, so they need a restart, and the answer names
 * the ones that differ ({@code restart-needed-for}). A bad file is refused with the same {@code file:line key:
 * message} as at start-up, and the old routes and certificates stay.
 */
final class ReloadCall {
    private static final Logger audit = LoggerFactory.getLogger("edge.audit");

    private final @Nullable Path configFile;
    private final EdgeConfig running;
    private final LiveRoutes routes;
    private final EdgeMetrics metrics;
    /** The reader port's certificates; null without {@code tls:}. */
    private final @Nullable LiveTls tls;
    /** The admin port's certificates; null without {@code admin.tls:}. */
    private final @Nullable LiveTls adminTls;

    ReloadCall(
            @Nullable Path configFile,
            EdgeConfig running,
            LiveRoutes routes,
            EdgeMetrics metrics,
            @Nullable LiveTls tls,
            @Nullable LiveTls adminTls) {
        this.configFile = configFile;
        this.running = running;
        this.routes = routes;
        this.metrics = metrics;
        this.tls = tls;
        this.adminTls = adminTls;
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
        String tlsResult = "off";
        if (tls != null) {
            TlsConfig nextTls = next.tls();
            // the section removed needs a restart (listed above); until then the running certificates stay
            tlsResult = nextTls == null
                    ? "unchanged"
                    : tls.reload(nextTls.certificates()).describe();
            out.put("tls", tlsResult);
        }
        String adminTlsResult = "off";
        if (adminTls != null) {
            AdminTlsConfig nextAdminTls = next.admin().tls();
            adminTlsResult = nextAdminTls == null
                    ? "unchanged"
                    : adminTls.reload(nextAdminTls.certificates()).describe();
            out.put("admin-tls", adminTlsResult);
        }
        audit.info(
                "admin.reload who={} result=ok routes={} tls=\"{}\" admin-tls=\"{}\"",
                req.caller(),
                next.routes().size(),
                tlsResult,
                adminTlsResult);
        return AdminResponse.json(200, out);
    }

    private java.util.List<String> differences(EdgeConfig next) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        if (!next.listen().equals(running.listen())) keys.add("listen");
        if (!next.origin().equals(running.origin())) keys.add("origin");
        if (!next.store().equals(running.store())) keys.add("store");
        if (!sameExceptCertificates(next.admin(), running.admin())) keys.add("admin");
        if (!next.limits().equals(running.limits())) keys.add("limits");
        if (!next.deploys().equals(running.deploys())) keys.add("deploys");
        if (!next.keyRules().equals(running.keyRules())) keys.add("sites, unknown-host, query, path");
        if (!next.trustedProxies().equals(running.trustedProxies())) keys.add("trusted-proxies");
        if (!next.accessLog().equals(running.accessLog())) keys.add("access-log");
        if (!next.errorPages().equals(running.errorPages())) keys.add("error-pages");
        if (!sameExceptCertificates(next.tls(), running.tls())) keys.add("tls");
        return keys;
    }

    /** Whether the {@code tls:} sections differ only in their certificates, which a reload takes. */
    private static boolean sameExceptCertificates(@Nullable TlsConfig next, @Nullable TlsConfig running) {
        if (next == null || running == null) return next == null && running == null;
        return next.withCertificates(running.certificates()).equals(running);
    }

    /** Whether the {@code admin:} sections differ only in {@code admin.tls.certificates}, which a reload takes. */
    private static boolean sameExceptCertificates(AdminConfig next, AdminConfig running) {
        AdminTlsConfig nextTls = next.tls();
        AdminTlsConfig runningTls = running.tls();
        if (nextTls == null || runningTls == null) return next.equals(running);
        return new AdminConfig(next.listen(), next.token(), next.readyRequiresOrigin(), runningTls).equals(running);
    }
}
