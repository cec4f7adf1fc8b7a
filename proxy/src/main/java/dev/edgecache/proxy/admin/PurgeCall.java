package dev.edgecache.proxy.admin;

import dev.edgecache.common.key.BadRequestTargetException;
import dev.edgecache.common.key.KeyRules;
import dev.edgecache.proxy.cache.PurgeResult;
import dev.edgecache.proxy.cache.Purger;
import dev.edgecache.proxy.cluster.ClusterNode;
import dev.edgecache.proxy.cluster.ClusterUnavailableException;
import dev.edgecache.proxy.cluster.PurgeOrder;
import dev.edgecache.proxy.cluster.PurgeOutcome;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /purge}. On a single node (or with {@code "scope":"local"}, or a dry run) it purges here, blocking
 * (disk) on the admin work executor. In a cluster it appends the purge to the cluster log and answers once this node
 * has applied it ({@code "wait":"all"}: once every live member has, bounded); when Redis cannot take it the answer
 * is a 503 and nothing is purged anywhere.
 */
final class PurgeCall {
    private static final Logger audit = LoggerFactory.getLogger("edge.audit");
    static final Duration WAIT_ALL_TIMEOUT = Duration.ofSeconds(5);

    private final Purger purger;
    private final EdgeMetrics metrics;
    private final KeyRules keyRules;
    private final @Nullable ClusterNode cluster;

    PurgeCall(Purger purger, EdgeMetrics metrics, KeyRules keyRules, @Nullable ClusterNode cluster) {
        this.purger = purger;
        this.metrics = metrics;
        this.keyRules = keyRules;
        this.cluster = cluster;
    }

    CompletableFuture<AdminResponse> handle(AdminRequest req) {
        PurgeBody body = AdminJson.read(req.body(), PurgeBody.class);
        ClusterNode c = cluster;
        if (c == null || body.dryRun() || body.localOnly()) return CompletableFuture.completedFuture(local(req, body));
        try {
            for (String u : body.urls()) keyRules.keysFor(u); // refuse a bad target before it reaches every node
        } catch (BadRequestTargetException e) {
            return CompletableFuture.completedFuture(AdminResponse.error(400, "urls: " + e.getMessage()));
        }
        long start = System.nanoTime();
        PurgeOrder order = new PurgeOrder(body.urls(), body.prefixes(), body.tags(), body.all(), body.soft());
        CompletableFuture<PurgeOutcome> outcome;
        try {
            outcome = c.purge(order, body.waitAll(), WAIT_ALL_TIMEOUT);
        } catch (ClusterUnavailableException e) {
            audit.warn("admin.purge who={} kind={} refused=\"{}\"", req.caller(), body.kind(), e.getMessage());
            return CompletableFuture.completedFuture(unavailable(e));
        }
        return outcome.thenApply(o -> {
            metrics.purge(body.kind(), o.purged());
            audit.info(
                    "admin.purge who={} kind={} values={} soft={} scope=cluster position={} purged={} behind={}"
                            + " took={}ms",
                    req.caller(),
                    body.kind(),
                    body.urls().size() + body.prefixes().size() + body.tags().size(),
                    body.soft(),
                    o.position(),
                    o.purged(),
                    o.behind(),
                    (System.nanoTime() - start) / 1_000_000);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("purged", o.purged());
            answer.put("position", o.position().toString());
            if (!o.appliedHere()) answer.put("applied-here", false);
            if (body.waitAll() && !o.behind().isEmpty()) answer.put("behind", o.behind());
            boolean complete = o.appliedHere() && (!body.waitAll() || o.behind().isEmpty());
            return AdminResponse.json(complete ? 200 : 202, answer);
        });
    }

    /** The 503 for a cluster-wide change Redis did not take. */
    static AdminResponse unavailable(ClusterUnavailableException e) {
        return AdminResponse.error(
                503,
                e.getMessage() + "; retry when Redis is back, or send \"scope\":\"local\" to purge this node only");
    }

    private AdminResponse local(AdminRequest req, PurgeBody body) {
        long start = System.nanoTime();
        PurgeResult result;
        try {
            result = purger.purge(body.urls(), body.prefixes(), body.tags(), body.all(), body.soft(), body.dryRun());
        } catch (BadRequestTargetException e) {
            return AdminResponse.error(400, "urls: " + e.getMessage());
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        if (!body.dryRun()) metrics.purge(body.kind(), result.purged());
        audit.info(
                "admin.purge who={} kind={} values={} soft={} dry-run={} scope=local purged={} took={}ms",
                req.caller(),
                body.kind(),
                body.urls().size() + body.prefixes().size() + body.tags().size(),
                body.soft(),
                body.dryRun(),
                result.purged(),
                tookMs);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("purged", result.purged());
        if (body.dryRun()) answer.put("keys", result.keys());
        if (cluster != null && !body.dryRun()) answer.put("scope", "local");
        return AdminResponse.json(200, answer);
    }
}
