package dev.edgecache.bench;

import dev.edgecache.common.store.Store;
import dev.edgecache.proxy.store.MemoryStore;
import dev.edgecache.proxy.store.RocksDbStore;
import dev.edgecache.proxy.store.TieredStore;
import java.nio.file.Path;

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
            return new TieredStore(new MemoryStore(SMALL_MEMORY), RocksDbStore.open(dir, () -> {}));
        }
    };

    static final long LARGE_MEMORY = 256L << 20;
    /** About a third of 10,000 pages of 4 KiB. */
    static final long SMALL_MEMORY = 16L << 20;

    /** Opens a store of this type; RocksDB ones live in {@code dir}. */
    abstract Store open(Path dir);
}
