package dev.edgecache.bench;

import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.Store;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.store.HotEntry;
import dev.edgecache.proxy.store.MemoryStore;
import dev.edgecache.proxy.store.RocksDbStore;
import dev.edgecache.proxy.store.TieredStore;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The store tiers behind one facade ({@link Store}), as Caffeine's {@code CacheType} does for caches, so a
 * benchmark compares them with one {@code @Param}.
 */
public enum StoreType {
    /** Caffeine alone, large enough for every key. */
    MEMORY {
        @Override
        Store open(Path dir) {
            return new MemoryStore(LARGE_MEMORY);
        }
    },
    /** RocksDB alone: every get reads and decodes, every put encodes and writes the WAL. */
    ROCKSDB {
        @Override
        Store open(Path dir) {
            return RocksDbStore.open(dir, () -> {});
        }
    },
    /** The production pairing, with a memory tier smaller than the key set so the Zipf tail reads from disk. */
    TIERED {
        @Override
        Store open(Path dir) {
            return new Promoting(new TieredStore(new MemoryStore(SMALL_MEMORY), RocksDbStore.open(dir, () -> {})));
        }
    };

    /** Reads through the tiers promoting disk hits, as the edge's {@code PageCache} does (there, under the fence). */
    private record Promoting(TieredStore tiers) implements Store {
        @Override
        public Optional<StoredEntry> get(EntryKey key) {
            Optional<StoredEntry> memory = tiers.getFromMemory(key);
            if (memory.isPresent()) return memory;
            Optional<HotEntry> disk = tiers.getFromDisk(key);
            disk.ifPresent(e -> {
                tiers.promote(key, e);
                e.release(); // the edge writes a disk hit's bodies from the direct memory read into, then releases
            });
            return disk.map(HotEntry::meta);
        }

        @Override
        public void put(EntryKey key, StoredEntry entry) {
            tiers.put(key, entry);
        }

        @Override
        public boolean remove(EntryKey key) {
            return tiers.remove(key);
        }

        @Override
        public void close() {
            tiers.close();
        }
    }

    static final long LARGE_MEMORY = 256L << 20;
    /** About a third of 10,000 pages of 4 KiB. */
    static final long SMALL_MEMORY = 16L << 20;

    /** Opens a store of this type; RocksDB ones live in {@code dir}. */
    abstract Store open(Path dir);
}
