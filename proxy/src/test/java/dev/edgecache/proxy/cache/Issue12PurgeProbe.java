package dev.edgecache.proxy.cache;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.key.KeyRules;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.store.MemoryStore;
import dev.edgecache.proxy.store.RocksDbStore;
import dev.edgecache.proxy.store.TieredStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: a tag purge of 10,000 4 KiB pages (each with two tags, a quarter of them in the memory tier) through
 * the real {@link Purger}, hard and soft, measured as this thread's CPU time (a busy box inflates it less than wall
 * time, which is printed too). Uses only APIs that predate issue 12, so the same file runs on the old code for a
 * ratio in one sitting. Not a test (no assertion beyond the count; the name keeps it out of surefire's default
 * includes); run it by name:
 * {@code mvn -B -o -pl common,proxy test -Dtest=Issue12PurgeProbe -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class Issue12PurgeProbe {
    static final int PAGES = 10_000;
    static final int ROUNDS = 6;

    @TempDir
    Path dir;

    @Test
    void probe() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        byte[] body =
                ("<p>" + "edge cache page ".repeat(256)).substring(0, 4096).getBytes(StandardCharsets.UTF_8);
        for (boolean soft : new boolean[] {false, true}) {
            double[] cpu = new double[ROUNDS];
            double[] wall = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                Path d = dir.resolve((soft ? "s" : "h") + round);
                try (TieredStore store = new TieredStore(new MemoryStore(64 << 20), RocksDbStore.open(d, () -> {}))) {
                    for (int i = 0; i < PAGES; i++) {
                        StoredEntry e = new StoredEntry(
                                200,
                                List.of(new Header("Content-Type", "text/html")),
                                body,
                                1000,
                                StoredEntry.NEVER,
                                StoredEntry.NEVER,
                                "\"e" + i + "\"",
                                List.of("bench", "post:" + i),
                                "v1",
                                0);
                        EntryKey key = new EntryKey("v1", CacheKey.fromRequestTarget("/t/" + i));
                        if (i % 4 == 0) store.put(key, e); // memory and disk
                        else store.disk().put(key, e);
                    }
                    Purger p = new Purger(
                            store, new PurgeFence(), () -> List.of("v1"), InstantSource.system(), KeyRules.DEFAULT);
                    long c0 = mx.getCurrentThreadCpuTime();
                    long w0 = System.nanoTime();
                    int n = p.purge(List.of(), List.of(), List.of("bench"), false, soft, false)
                            .purged();
                    cpu[round] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
                    wall[round] = (System.nanoTime() - w0) / 1e6;
                    if (n != PAGES) throw new IllegalStateException("purged " + n);
                }
            }
            Arrays.sort(cpu);
            Arrays.sort(wall);
            System.out.printf(
                    Locale.ROOT,
                    "PROBE %s tag purge of %d pages: cpu median %.1f ms (min %.1f), wall median %.1f ms (min %.1f)%n",
                    soft ? "soft" : "hard",
                    PAGES,
                    cpu[ROUNDS / 2],
                    cpu[0],
                    wall[ROUNDS / 2],
                    wall[0]);
        }
    }
}
