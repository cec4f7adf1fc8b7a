package dev.edgecache.proxy.admin;

import dev.edgecache.common.key.BadRequestTargetException;
import dev.edgecache.proxy.cache.PurgeResult;
import dev.edgecache.proxy.cache.Purger;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /purge}. Blocking (disk); runs on the admin work executor. */
final class PurgeCall {
    private static final Logger audit = LoggerFactory.getLogger("edge.audit");

    private final Purger purger;
    private final EdgeMetrics metrics;

    PurgeCall(Purger purger, EdgeMetrics metrics) {
        this.purger = purger;
        this.metrics = metrics;
    }

    AdminResponse handle(AdminRequest req) {
        PurgeBody body = AdminJson.read(req.body(), PurgeBody.class);
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
                "admin.purge who={} kind={} values={} soft={} dry-run={} purged={} took={}ms",
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
        return AdminResponse.json(200, answer);
    }
}
