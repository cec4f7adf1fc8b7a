package dev.edgecache.proxy.admin;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.key.KeyRules;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.deploy.DeployRegistry;
import dev.edgecache.proxy.store.TieredStore;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code GET /keys} and {@code GET /keys/info}: what is stored, and why. Blocking; admin work executor. */
final class KeyCalls {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    private final TieredStore store;
    private final DeployRegistry deploys;
    private final InstantSource clock;

    private final KeyRules keyRules;

    KeyCalls(TieredStore store, DeployRegistry deploys, InstantSource clock, KeyRules keyRules) {
        this.keyRules = keyRules;
        this.store = store;
        this.deploys = deploys;
        this.clock = clock;
    }

    AdminResponse list(AdminRequest req) {
        String prefix = Optional.ofNullable(req.param("prefix")).orElse("/");
        if (!prefix.startsWith("/")) return AdminResponse.error(400, "prefix must start with '/'");
        int limit;
        try {
            limit = Optional.ofNullable(req.param("limit"))
                    .map(Integer::parseInt)
                    .orElse(DEFAULT_LIMIT);
        } catch (NumberFormatException e) {
            return AdminResponse.error(400, "limit must be a number");
        }
        if (limit < 1 || limit > MAX_LIMIT) return AdminResponse.error(400, "limit must be 1.." + MAX_LIMIT);
        String deploy = Optional.ofNullable(req.param("deploy")).orElse(deploys.active());
        List<EntryKey> keys = store.keys(deploy, prefix, limit + 1);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deploy", deploy);
        out.put("keys", keys.stream().limit(limit).map(k -> k.key().target()).toList());
        out.put("truncated", keys.size() > limit);
        return AdminResponse.json(200, out);
    }

    AdminResponse info(AdminRequest req) {
        String url = req.param("url");
        if (url == null) return AdminResponse.error(400, "url is required");
        String deploy = Optional.ofNullable(req.param("deploy")).orElse(deploys.active());
        CacheKey key = keyRules.keyFor(url);
        Optional<StoredEntry> entry = store.get(new EntryKey(deploy, key));
        if (entry.isEmpty())
            return AdminResponse.error(404, "nothing stored for " + key.target() + " in deploy " + deploy);
        StoredEntry e = entry.get();
        long now = clock.millis();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", key.target());
        out.put("deploy", deploy);
        out.put("status", e.status());
        out.put("state", e.isNegative() ? "negative" : e.isFreshAt(now) ? "fresh" : "stale");
        out.put("stored-at", e.storedAtMillis());
        out.put("expires-at", e.expiresAtMillis() == StoredEntry.NEVER ? null : e.expiresAtMillis());
        out.put("stale-until", e.staleUntilMillis() == StoredEntry.NEVER ? null : e.staleUntilMillis());
        out.put("tags", e.tags());
        out.put("size", e.body().length);
        out.put("etag", e.etag());
        return AdminResponse.json(200, out);
    }
}
