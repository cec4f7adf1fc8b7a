package dev.edgecache.proxy.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.Store;
import dev.edgecache.common.store.StoredEntry;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory tier: a Caffeine cache of {@link HotEntry}s (bodies in direct memory, issue 12) weighted by the bytes
 * each costs, with a floor for the heap it keeps ({@link #charge}), bounded by {@code store.memory}. Non-blocking, so
 * event loops read it directly. Thread-safe.
 *
 * <p>Owns the direct memory of its entries: an entry's buffers are released when Caffeine reports it removed, for
 * every cause (size eviction, remove, replace, {@code removeIf}, {@code invalidateAll}). The removal listener runs on
 * the thread that removed the entry ({@code executor(Runnable::run)}), so memory is freed before that call returns
 * rather than some time later on a shared pool, and the direct bytes stay within the budget. A reader holding an
 * entry that is released meanwhile sees a failed retain and answers it as a miss ({@link HotEntry}).
 */
public final class MemoryStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(MemoryStore.class);

    /** An entry is charged at least this many times its heap bytes ({@link #charge}). */
    static final int HEAP_SHARE = 4;

    private final Cache<EntryKey, HotEntry> cache;
    private final long budgetBytes;
    /** Direct bytes held by entries not yet released, as allocated (the {@code edge.memory.offheap} gauge). */
    private final AtomicLong offHeapBytes = new AtomicLong();

    private volatile boolean closed;

    public MemoryStore(long budgetBytes) {
        if (budgetBytes <= 0) throw new IllegalArgumentException("memory budget must be positive, got " + budgetBytes);
        this.budgetBytes = budgetBytes;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(budgetBytes)
                .weigher((EntryKey k, HotEntry v) ->
                        charge(v) + 2 * k.key().path().length())
                .executor(Runnable::run)
                .removalListener((@Nullable EntryKey k, @Nullable HotEntry v, RemovalCause cause) -> {
                    if (v != null) release(v);
                })
                .recordStats()
                .build();
    }

    /**
     * The entry as the hit path uses it: bodies not copied. Use its bytes only through a retain ({@link HotEntry}).
     */
    public Optional<HotEntry> getHot(EntryKey key) {
        return Optional.ofNullable(cache.getIfPresent(key));
    }

    /** A whole heap copy of the entry (see {@link HotEntry#toEntry}); empty if it is gone or was released meanwhile. */
    @Override
    public Optional<StoredEntry> get(EntryKey key) {
        HotEntry hot = cache.getIfPresent(key);
        return hot == null ? Optional.empty() : hot.toEntryUnlessReleased();
    }

    /**
     * Copies {@code entry}'s bodies into direct memory and keeps it. When direct memory is short, the key is dropped
     * instead (never an older copy left behind): the tiers above wrote the page to disk first, so it is only slower.
     */
    @Override
    public void put(EntryKey key, StoredEntry entry) {
        HotEntry hot = copy(key, () -> HotEntry.copyOf(entry));
        if (hot == null) {
            cache.invalidate(key); // never an older copy left behind
            return;
        }
        offHeapBytes.addAndGet(directBytes(hot));
        cache.put(key, hot);
        if (closed) cache.invalidateAll(); // a write that raced close(): free it, nobody will
    }

    /**
     * Keeps a page read from disk (a promotion), its bodies shared or copied ({@link HotEntry#keptOf}), unless memory
     * holds the key by then. The read began after a memory miss, so an entry there now was stored or promoted since,
     * and is at least as new: replacing it would put back the older page a refresh had just replaced.
     */
    public void promote(EntryKey key, HotEntry fromDisk) {
        if (cache.asMap().containsKey(key)) return;
        HotEntry hot = copy(key, () -> HotEntry.keptOf(fromDisk));
        if (hot == null) return;
        offHeapBytes.addAndGet(directBytes(hot));
        if (cache.asMap().putIfAbsent(key, hot) != null) release(hot); // stored meanwhile: free the copy
        if (closed) cache.invalidateAll(); // a write that raced close(): free it, nobody will
    }

    /** The copy into direct memory, or null when direct memory is short. */
    private @Nullable HotEntry copy(EntryKey key, Supplier<HotEntry> copier) {
        try {
            return copier.get();
        } catch (RuntimeException | OutOfMemoryError e) { // Netty's OutOfDirectMemoryError is an OutOfMemoryError
            log.warn("memory.put-failed key={} error=\"{}\"", key, e.toString());
            return null;
        }
    }

    @Override
    public boolean remove(EntryKey key) {
        return cache.asMap().remove(key) != null;
    }

    /**
     * What an entry counts against {@code store.memory}: its bytes, and at least {@value #HEAP_SHARE} times its heap
     * bytes. So a full memory tier never keeps more than 1/{@value #HEAP_SHARE} of {@code store.memory} on the heap,
     * whatever the page size, and {@code bin/edge}'s heap ({@code store.memory}/2 + 64 MiB) holds it with room to
     * collect. Without the floor, 2 KiB pages put 13,700 entries (27 MB of metadata) on a 96 MiB heap, which G1
     * answered with a concurrent cycle every second and a 65 ms full collection (bench/RESULTS.md §23). Pages of
     * about 4 KiB and more are charged their bytes, as before.
     */
    static int charge(HotEntry v) {
        return Math.max(v.weight(), HEAP_SHARE * v.heapBytes());
    }

    private void release(HotEntry v) {
        offHeapBytes.addAndGet(-directBytes(v));
        v.release();
    }

    private static long directBytes(HotEntry v) {
        return (long) v.weight() - v.meta().weight();
    }

    /** The Caffeine cache, for Micrometer's cache binder and size gauges. */
    public Cache<EntryKey, HotEntry> cache() {
        return cache;
    }

    /** The {@code store.memory} budget, in bytes. */
    public long budgetBytes() {
        return budgetBytes;
    }

    /** Sum of the weights of the entries held, in bytes. */
    public long weightedSize() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    /**
     * Direct bytes of the entries held (bodies and encoded copies, with their per-buffer overhead): part of {@link
     * #weightedSize}, which the budget bounds. A released entry's memory is freed once the last reader writing it is
     * done, a moment later.
     */
    public long offHeapBytes() {
        return offHeapBytes.get();
    }

    @Override
    public void close() {
        closed = true;
        cache.invalidateAll();
    }
}
