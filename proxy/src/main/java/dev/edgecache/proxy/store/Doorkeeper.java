package dev.edgecache.proxy.store;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Remembers which keys were read recently, so that the memory tier admits a page read from disk only on its second
 * read, full or not (issue 12). With far more pages than memory, most disk hits are pages nobody reads again soon:
 * copying each into direct memory and evicting another for it was half the work of a disk hit, for nothing. A page
 * read twice within the window is likely to be read again, and enters.
 *
 * <p>A Bloom filter sized for {@code window} keys: eight bits per key and two hashes, about 5% false positives once
 * full, which only admit a page early. Once {@code window} keys were recorded the filter is cleared, so it forgets old
 * reads and its size stays fixed; a read lost to a clear or a racing update costs one more disk read, never a wrong
 * answer.
 * Thread-safe, lock-free.
 */
final class Doorkeeper {
    private final AtomicLongArray bits;
    private final int mask;
    private final int window;
    private final AtomicInteger recorded = new AtomicInteger();

    /** @param window keys remembered before the filter is cleared (rounded up to a power of two, at least 64) */
    Doorkeeper(int window) {
        int keys = Integer.highestOneBit(Math.max(64, window) - 1) << 1;
        this.window = keys;
        this.bits = new AtomicLongArray(keys * 8 / 64);
        this.mask = keys * 8 - 1;
    }

    /**
     * Records a read of the key with this hash and says whether it was read before within the window (or is a false
     * positive).
     */
    boolean seenBefore(int hash) {
        long h = mix(hash);
        boolean first = set((int) h & mask);
        boolean second = set((int) (h >>> 32) & mask);
        if (first || second) {
            if (recorded.incrementAndGet() >= window) clear();
            return false;
        }
        return true;
    }

    /** Sets a bit; true when it was clear. */
    private boolean set(int bit) {
        int word = bit >>> 6;
        long flag = 1L << bit;
        long old = bits.getAndUpdate(word, w -> w | flag);
        return (old & flag) == 0;
    }

    private void clear() {
        recorded.set(0);
        for (int i = 0; i < bits.length(); i++) bits.set(i, 0);
    }

    /** Murmur3's 64-bit finaliser: spreads a 32-bit hash over both halves used as bit indices. */
    private static long mix(int hash) {
        long h = hash * 0x9E3779B97F4A7C15L;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
