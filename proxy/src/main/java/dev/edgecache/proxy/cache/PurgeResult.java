package dev.edgecache.proxy.cache;

import java.util.List;

/**
 * What a purge did.
 *
 * @param purged entries removed (hard) or marked stale (soft), or that would be (dry run)
 * @param keys the matching keys as {@code deploy:target}, on a dry run only
 */
public record PurgeResult(int purged, List<String> keys) {
    public PurgeResult {
        keys = List.copyOf(keys);
    }
}
