package dev.edgecache.proxy.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.store.Store;
import dev.edgecache.common.store.StoreContractTest;
import org.junit.jupiter.api.Test;

class MemoryStoreTest extends StoreContractTest {
    @Override
    protected Store newStore() {
        return new MemoryStore(1 << 20);
    }

    @Test
    void theByteBudgetBoundsWhatIsKept() {
        MemoryStore small = new MemoryStore(64 * 1024);
        for (int i = 0; i < 200; i++) small.put(key("/p/" + i), entry("x".repeat(1024)));
        small.cache().cleanUp();
        assertThat(small.weightedSize()).isLessThanOrEqualTo(64 * 1024);
        assertThat(small.cache().estimatedSize()).isLessThan(200);
    }
}
