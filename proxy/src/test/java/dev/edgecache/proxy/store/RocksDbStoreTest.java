package dev.edgecache.proxy.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.store.Store;
import dev.edgecache.common.store.StoreContractTest;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbStoreTest extends StoreContractTest {
    @TempDir
    Path dir;

    private final AtomicInteger corrupt = new AtomicInteger();

    @Override
    protected Store newStore() {
        return RocksDbStore.open(dir, corrupt::incrementAndGet);
    }

    @Test
    void entriesSurviveCloseAndReopen() {
        store.put(key("/a"), entry("persisted"));
        store.close();
        store = newStore();
        assertThat(store.get(key("/a"))).contains(entry("persisted"));
    }

    @Test
    void aCorruptValueReadsAsAbsentIsDroppedAndCounted() {
        store.put(key("/a"), entry("x"));
        ((RocksDbStore) store).putRaw(key("/a"), new byte[] {1, 2, 3, 4, 5, 6});
        assertThat(store.get(key("/a"))).isEmpty();
        assertThat(corrupt).hasValue(1);
        assertThat(store.remove(key("/a"))).as("dropped on read").isFalse();
    }

    @Test
    void metadataIsKept() {
        RocksDbStore rocks = (RocksDbStore) store;
        assertThat(rocks.readMeta("active-deploy")).isEmpty();
        rocks.writeMeta("active-deploy", "v2");
        rocks.close();
        store = newStore();
        assertThat(((RocksDbStore) store).readMeta("active-deploy")).contains("v2");
    }
}
