package dev.edgecache.proxy.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.Store;
import dev.edgecache.common.store.StoredEntry;
import java.util.Optional;

/**
 * The in-memory tier: a Caffeine cache weighted by the bytes of each entry, bounded by {@code store.memory}.
 * Non-blocking, so event loops read it directly. Thread-safe.
 */
public final class MemoryStore implements Store {
    private final Cache<EntryKey, StoredEntry> cache;

    public MemoryStore(long budgetBytes) {
        if (budgetBytes <= 0) throw new IllegalArgumentException("memory budget must be positive, got " + budgetBytes);
        this.cache = Caffeine.newBuilder()
                .maximumWeight(budgetBytes)
                .weigher((EntryKey k, StoredEntry v) ->
                        v.weight() + 2 * k.key().path().length())
                .recordStats()
                .build();
    }

    @Override
    public Optional<StoredEntry> get(EntryKey key) {
        return Optional.ofNullable(cache.getIfPresent(key));
    }

    @Override
    public void put(EntryKey key, StoredEntry entry) {
        cache.put(key, entry);
    }

    @Override
    public boolean remove(EntryKey key) {
        return cache.asMap().remove(key) != null;
    }

    /** The Caffeine cache, for Micrometer's cache binder and size gauges. */
    public Cache<EntryKey, StoredEntry> cache() {
        return cache;
    }

    /** Sum of the weights of the entries held, in bytes. */
    public long weightedSize() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    @Override
    public void close() {
        cache.invalidateAll();
    }
}
