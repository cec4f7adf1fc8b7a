package dev.edgecache.common.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.key.CacheKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One contract, every tier (Caffeine's "one spec, every configuration"): subclass and provide the store. */
public abstract class StoreContractTest {
    protected Store store;

    protected abstract Store newStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    public static StoredEntry entry(String body) {
        return new StoredEntry(
                200,
                List.of(new Header("Content-Type", "text/html; charset=utf-8")),
                body.getBytes(StandardCharsets.UTF_8),
                1_000,
                StoredEntry.NEVER,
                StoredEntry.NEVER,
                "\"e-" + body.hashCode() + "\"",
                List.of("post:alice/hello", "user:alice"),
                "v1",
                0);
    }

    public static EntryKey key(String target) {
        return new EntryKey("v1", CacheKey.fromRequestTarget(target));
    }

    @Test
    void get_absentKey() {
        assertThat(store.get(key("/nothing"))).isEmpty();
    }

    @Test
    void putThenGetReturnsAnEqualEntry() {
        store.put(key("/a"), entry("hello"));
        assertThat(store.get(key("/a"))).contains(entry("hello"));
    }

    @Test
    void putReplacesThePreviousValue() {
        store.put(key("/a"), entry("one"));
        store.put(key("/a"), entry("two"));
        assertThat(store.get(key("/a"))).contains(entry("two"));
    }

    @Test
    void removeDeletesAndReportsWhetherSomethingWasThere() {
        store.put(key("/a"), entry("x"));
        assertThat(store.remove(key("/a"))).isTrue();
        assertThat(store.get(key("/a"))).isEmpty();
        assertThat(store.remove(key("/a"))).isFalse();
    }

    @Test
    void deploysAndQueriesAreSeparateKeys() {
        store.put(key("/a"), entry("v1"));
        store.put(new EntryKey("v2", CacheKey.fromRequestTarget("/a")), entry("v2"));
        store.put(key("/a?x=1"), entry("q"));
        assertThat(store.get(key("/a"))).contains(entry("v1"));
        assertThat(store.get(new EntryKey("v2", CacheKey.fromRequestTarget("/a"))))
                .contains(entry("v2"));
        assertThat(store.get(key("/a?x=1"))).contains(entry("q"));
    }
}
