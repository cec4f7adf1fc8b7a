package dev.edgecache.proxy.store;

import dev.edgecache.common.store.EntryKey;
import java.nio.file.Path;

/** Test access to the raw bytes on disk, to simulate corruption and torn writes. */
public final class StoreCorruption {
    private StoreCorruption() {}

    /** Overwrites the stored value of {@code key} in the (closed) store at {@code dir}. */
    public static void overwrite(Path dir, EntryKey key, byte[] value) {
        try (RocksDbStore store = RocksDbStore.open(dir, () -> {})) {
            store.putRaw(key, value);
        }
    }
}
