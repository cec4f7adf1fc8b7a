package dev.edgecache.proxy.pipeline;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open reader connections per client address, bounded by {@code limits.max-connections-per-client} (issue 8.3).
 * An address is forgotten when its last connection closes, so the map holds only addresses with open
 * connections. Thread-safe: connections of one address open and close on different event loops.
 */
final class ConnectionCounts {
    private final int max;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

    /** @param max most connections per address, at least 1 */
    ConnectionCounts(int max) {
        if (max < 1) throw new IllegalArgumentException("max must be at least 1, got " + max);
        this.max = max;
    }

    /** Counts a new connection from {@code client}, unless it already has {@code max}: then false. */
    boolean tryAcquire(InetAddress client) {
        boolean[] counted = {false}; // compute runs its function once, atomically per key
        open.compute(client, (a, n) -> {
            int now = n == null ? 0 : n;
            if (now >= max) return n;
            counted[0] = true;
            return now + 1;
        });
        return counted[0];
    }

    /** Forgets one connection of {@code client} (one that {@link #tryAcquire} counted). */
    void release(InetAddress client) {
        open.computeIfPresent(client, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** Open connections counted for {@code client}. */
    int open(InetAddress client) {
        return open.getOrDefault(client, 0);
    }
}
