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
    void aDiskPageIsAdmittedAtOnceWhileMemoryHasRoom() {
        assertThat(tiered.admits(key("/a"), HotEntry.wrapping(entry("x")))).isTrue();
    }

    @Test
    void aFullMemoryAdmitsADiskPageOnItsSecondReadOnly() { // issue 12: pages read once do not evict others
        TieredStore small = new TieredStore(new MemoryStore(8192), tiered.disk());
        small.put(key("/resident"), entry("r".repeat(6000)));
        HotEntry page = HotEntry.wrapping(entry("p".repeat(2000)));
        try {
            assertThat(small.admits(key("/a"), page)).isFalse();
            assertThat(small.admits(key("/b"), page)).isFalse();
            assertThat(small.admits(key("/a"), page)).isTrue();
        } finally {
            small.memory().close(); // its direct memory; the disk is the test's
        }
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
