package dev.edgecache.proxy.cache;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.key.KeyRules;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.store.MemoryStore;
import dev.edgecache.proxy.store.RocksDbStore;
import dev.edgecache.proxy.store.TieredStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, "Speed": the CPU one node spends on a 10,000-page tag purge, in process (real RocksDB, one tag, 507-byte
 * pages), measured as this thread's CPU time so that a busy box inflates it less than wall time. Not a test (no
 * assertion; the name keeps it out of surefire's default includes); run it by name:
 * {@code mvn -B -o -pl common,proxy test -Dtest=TagPurgeProbe -Dsurefire.failIfNoSpecifiedTests=false}. Even rounds
 * time a whole {@link Purger#purge} (after a separate tag scan), odd rounds the store's {@code removeAll} alone.
 */
class TagPurgeProbe {
    @TempDir
    Path dir;

    @Test
    void probe() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 8; round++) {
            Path d = dir.resolve("r" + round);
            try (TieredStore store = new TieredStore(new MemoryStore(64 << 20), RocksDbStore.open(d, () -> {}))) {
                byte[] body = ("<p>" + "x".repeat(500) + "</p>").getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 10_000; i++) {
                    StoredEntry e = new StoredEntry(
                            200,
                            List.of(new Header("Content-Type", "text/html")),
                            body,
                            1000,
                            StoredEntry.NEVER,
                            StoredEntry.NEVER,
                            "\"e" + i + "\"",
                            List.of("bench"),
                            "v1",
                            0);
                    store.put(new EntryKey("v1", CacheKey.fromRequestTarget("/t/" + i)), e);
                }
                Purger p = new Purger(
                        store, new PurgeFence(), () -> List.of("v1"), InstantSource.system(), KeyRules.DEFAULT);
                long t0 = mx.getCurrentThreadCpuTime();
                List<EntryKey> keys = store.keysTagged("v1", "bench");
                long t1 = mx.getCurrentThreadCpuTime();
                int n = round % 2 == 0
                        ? p.purge(List.of(), List.of(), List.of("bench"), false, false, false)
                                .purged()
                        : store.removeAll(keys);
                long t2 = mx.getCurrentThreadCpuTime();
                System.out.printf(
                        "PROBE round %d: keysTagged %d in %.1f ms cpu; " + (round % 2 == 0 ? "purge" : "removeAll")
                                + " %d in %.1f ms; left %d%n",
                        round,
                        keys.size(),
                        (t1 - t0) / 1e6,
                        n,
                        (t2 - t1) / 1e6,
                        store.keys("v1", "/", 100).size());
            }
        }
    }
}
