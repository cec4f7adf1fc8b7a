package dev.edgecache.proxy.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.Store;
import dev.edgecache.common.store.StoreContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TieredStoreTest extends StoreContractTest {
    @TempDir
    Path dir;

    private TieredStore tiered;

    @Override
    protected Store newStore() {
        tiered = new TieredStore(new MemoryStore(1 << 20), RocksDbStore.open(dir, () -> {}));
        return tiered;
    }

    @Test
    void writesGoToBothTiers() {
        tiered.put(key("/a"), entry("x"));
        assertThat(tiered.memory().get(key("/a"))).isPresent();
        assertThat(tiered.disk().get(key("/a"))).isPresent();
    }

    @Test
    void readsDoNotPromoteDiskHitsByThemselves() { // PageCache promotes, under the purge fence (issue 8)
        tiered.disk().put(key("/a"), entry("x"));
        assertThat(tiered.get(key("/a"))).contains(entry("x"));
        assertThat(tiered.getFromMemory(key("/a"))).isEmpty();
        tiered.promote(key("/a"), HotEntry.wrapping(entry("x")));
        assertThat(tiered.getFromMemory(key("/a"))).contains(entry("x"));
    }

    @Test
    void removingADeployReleasesItsMemoryEntries() { // issue 12: removeIf on the map view frees the direct memory
        tiered.put(key("/a"), entry("x"));
        tiered.put(new EntryKey("v2", CacheKey.fromRequestTarget("/a")), entry("y"));
        HotEntry v1 = tiered.getHotFromMemory(key("/a")).orElseThrow();
        tiered.removeDeploy("v1");
        assertThat(tiered.getHotFromMemory(key("/a"))).isEmpty();
        assertThat(v1.freed()).isTrue();
        assertThat(tiered.getHotFromMemory(new EntryKey("v2", CacheKey.fromRequestTarget("/a"))))
                .isPresent();
    }

    @Test
    void aDiskPageIsAdmittedOnItsSecondReadOnly() { // issue 12: pages read once neither evict others nor flood the heap
        assertThat(tiered.admits(key("/a"))).as("first read, memory empty").isFalse();
        assertThat(tiered.admits(key("/b"))).isFalse();
        assertThat(tiered.admits(key("/a"))).as("second read").isTrue();
    }

    @Test
    void aPromotionGoesToDirectMemory() {
        tiered.promote(key("/a"), HotEntry.wrapping(entry("x")));
        assertThat(tiered.getHotFromMemory(key("/a")).orElseThrow().body().isDirect())
                .isTrue();
    }

    @Test
    void removeClearsBothTiers() {
        tiered.put(key("/a"), entry("x"));
        assertThat(tiered.remove(key("/a"))).isTrue();
        assertThat(tiered.memory().get(key("/a"))).isEmpty();
        assertThat(tiered.disk().get(key("/a"))).isEmpty();
    }
}
