package dev.edgecache.bench;

import dev.edgecache.common.key.KeyRules;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.cache.PurgeFence;
import dev.edgecache.proxy.cache.PurgeResult;
import dev.edgecache.proxy.cache.Purger;
import dev.edgecache.proxy.store.MemoryStore;
import dev.edgecache.proxy.store.RocksDbStore;
import dev.edgecache.proxy.store.TieredStore;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 3's target: purging 10,000 pages that share a tag, through the real {@link Purger} over memory + RocksDB
 * (tag-index scan, one WriteBatch delete of pages and index entries, memory invalidation). Each invocation gets a
 * freshly filled store, so every measured purge removes all the pages. {@code dryRun} (scan only, nothing
 * written) is the baseline in the same run. Single shots: the first warmup iteration is a purge by a process that has
 * not purged before (its code not yet compiled), the measured ones what a running edge sees.
 *
 * <pre>
 * $JAVA_HOME/bin/java --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
 *     -jar bench/target/benchmarks.jar PurgeBenchmark -f1 -foe true \
 *     -jvmArgsAppend "--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 9)
@Fork(1)
public class PurgeBenchmark {
    static final String TAG = "user:bench";

    @Param({"10000"})
    int pages;

    @Param({"4096"})
    int pageBytes;

    private Path dir;
    private TieredStore store;
    private Purger purger;

    @Setup(Level.Invocation)
    public void fill() {
        dir = TempDir.create("edge-bench-purge");
        store = new TieredStore(new MemoryStore(256L << 20), RocksDbStore.open(dir, () -> {}));
        StoredEntry template = Pages.entry(pageBytes, 1);
        StoredEntry tagged = new StoredEntry(
                template.status(),
                template.headers(),
                template.body(),
                template.storedAtMillis(),
                template.expiresAtMillis(),
                template.staleUntilMillis(),
                template.etag(),
                List.of(TAG, "post:bench"),
                Pages.DEPLOY,
                0);
        for (int i = 0; i < pages; i++) {
            EntryKey key = Pages.key("/bench/p" + i);
            store.put(key, tagged);
        }
        purger = new Purger(
                store, new PurgeFence(), () -> List.of(Pages.DEPLOY), InstantSource.system(), KeyRules.DEFAULT);
    }

    @TearDown(Level.Invocation)
    public void close() {
        store.close();
        TempDir.delete(dir);
    }

    @Benchmark
    public PurgeResult hardPurgeByTag() {
        return check(purger.purge(List.of(), List.of(), List.of(TAG), false, false, false));
    }

    @Benchmark
    public PurgeResult softPurgeByTag() {
        return check(purger.purge(List.of(), List.of(), List.of(TAG), false, true, false));
    }

    @Benchmark
    public PurgeResult dryRunByTag() {
        return check(purger.purge(List.of(), List.of(), List.of(TAG), false, false, true));
    }

    private PurgeResult check(PurgeResult r) {
        if (r.purged() != pages) throw new IllegalStateException("purged " + r.purged() + " of " + pages);
        return r;
    }
}
