package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.store.MemoryStore;
import dev.edgecache.proxy.store.RocksDbStore;
import dev.edgecache.proxy.store.TieredStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The variant index kept under the primary key (RFC 9111 §4.1 with a bound per URL). */
class VariantWritesTest {
    private static final EntryKey PRIMARY = new EntryKey("v1", CacheKey.fromRequestTarget("/docs/a"));
    private static final List<String> LANG = List.of("accept-language");

    @TempDir
    Path dir;

    private TieredStore store;
    private VariantWrites writes;

    @BeforeEach
    void open() {
        store = new TieredStore(new MemoryStore(1 << 20), RocksDbStore.open(dir, () -> {}));
        writes = new VariantWrites(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static StoredEntry page(String body) {
        return new StoredEntry(
                200,
                List.of(),
                body.getBytes(StandardCharsets.UTF_8),
                0,
                1000,
                1000,
                "\"" + body + "\"",
                List.of(),
                "v1",
                0);
    }

    private List<String> indexed() {
        return Variants.variantsOf(store.get(PRIMARY).orElseThrow());
    }

    private boolean stored(String secondary) {
        return store.get(Variants.variantKey(PRIMARY, secondary)).isPresent();
    }

    @Test
    void variantsAreIndexedOldestFirstAndTheOldestIsEvictedPastTheBound() {
        writes.put(PRIMARY, page("en"), LANG, "en", 2, 0);
        writes.put(PRIMARY, page("fr"), LANG, "fr", 2, 0);
        writes.put(PRIMARY, page("en2"), LANG, "en", 2, 0); // stored again: now the newest
        writes.put(PRIMARY, page("de"), LANG, "de", 2, 0);
        assertThat(indexed()).containsExactly("en", "de");
        assertThat(stored("fr")).isFalse();
        assertThat(stored("en")).isTrue();
        assertThat(store.keys("v1", Variants.prefixOf(PRIMARY.key()), 10)).hasSize(2);
    }

    @Test
    void aChangedVaryDropsTheOldVariants() {
        writes.put(PRIMARY, page("en"), LANG, "en", 8, 0);
        writes.put(PRIMARY, page("html"), List.of("accept"), "html", 8, 0);
        assertThat(Variants.fieldsOf(store.get(PRIMARY).orElseThrow())).containsExactly("accept");
        assertThat(indexed()).containsExactly("html");
        assertThat(stored("en")).isFalse();
    }

    @Test
    void aResponseThatNoLongerVariesReplacesTheIndexAndItsVariants() {
        writes.put(PRIMARY, page("en"), LANG, "en", 8, 0);
        writes.put(PRIMARY, page("plain"), List.of(), null, 8, 0);
        assertThat(Variants.isIndex(store.get(PRIMARY).orElseThrow())).isFalse();
        assertThat(stored("en")).isFalse();
    }
}
