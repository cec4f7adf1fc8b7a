package dev.edgecache.origin.web;

import dev.edgecache.origin.RejectedException;
import dev.edgecache.origin.blog.CriticalPaths;
import dev.edgecache.origin.http.Request;
import dev.edgecache.origin.http.Router;
import java.util.Map;

/**
 * Endpoints for the edge and operators: {@code GET /_edge/critical?limit=N} (a JSON array of the N most important
 * public paths, default {@value #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT}) and {@code GET /_edge/health}.
 */
final class EdgeEndpoints {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    private final CriticalPaths critical;

    EdgeEndpoints(CriticalPaths critical) {
        this.critical = critical;
    }

    void register(Router router) {
        router.get("/_edge/critical", (r, v) -> Json.write(200, critical.top(limit(r))))
                .get("/_edge/health", (r, v) -> Json.write(200, Map.of("status", "ok")));
    }

    private static int limit(Request request) {
        String text = request.queryParam("limit").orElse(Integer.toString(DEFAULT_LIMIT));
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) return limit;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw RejectedException.badRequest("limit must be an integer between 1 and " + MAX_LIMIT);
    }
}
