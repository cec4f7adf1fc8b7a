package dev.edgecache.bench;

import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.Store;
import dev.edgecache.common.store.StoredEntry;
import java.nio.file.Path;
import java.util.Optional;
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
 * Get and put of 4 KiB pages through each store tier ({@link StoreType}), keys drawn from a Zipfian
 * distribution over 10,000 pages. Every page is stored before measuring, and the RocksDB stores are reopened
 * once filled, so reads come from SST files (and RocksDB's block cache and the OS page cache), not from the
 * memtable. Puts overwrite existing pages, so the data set keeps its size.
 *
 * <pre>
 * $JAVA_HOME/bin/java --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
 *     -jar bench/target/benchmarks.jar StoreBenchmark -f1 -foe true -wi 2 -w 1s -i 5 -r 1s -prof gc \
 *     -jvmArgsAppend "--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"})
public class StoreBenchmark {
    static final int KEYS = 10_000;
    static final int VALUE_BYTES = 4096;
    static final int DRAWS = 1 << 16;

    @Param({"MEMORY", "ROCKSDB", "TIERED"})
    StoreType type;

    private Path dir;
    private Store store;
    private EntryKey[] keys;
    private StoredEntry[] pages;
    private int[] draws;

    /** Each thread walks the shared draws from its own offset. */
    @State(Scope.Thread)
    public static class Cursor {
        int next = (int) (Thread.currentThread().threadId() * 7919);

        int advance() {
            return next++ & (DRAWS - 1);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        dir = TempDir.create("edge-bench-store");
        keys = new EntryKey[KEYS];
        pages = new StoredEntry[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = Pages.key("/alice/post-" + i);
            pages[i] = Pages.entry(VALUE_BYTES, i);
        }
        draws = Zipf.draws(KEYS, DRAWS, 42);
        store = type.open(dir);
        for (int i = 0; i < KEYS; i++) store.put(keys[i], pages[i]);
        if (type != StoreType.MEMORY) { // reopening flushes the recovered WAL to SST files
            store.close();
            store = type.open(dir);
            for (int i = 0; i < DRAWS; i++) store.get(keys[draws[i]]); // warm the memory tier as traffic would
        }
        if (store.get(keys[0]).isEmpty()) throw new IllegalStateException(type + " lost a page");
    }

    @Benchmark
    public Optional<StoredEntry> get(Cursor cursor) {
        return store.get(keys[draws[cursor.advance()]]);
    }

    @Benchmark
    public void put(Cursor cursor) {
        int k = draws[cursor.advance()];
        store.put(keys[k], pages[k]);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (store != null) store.close();
        TempDir.delete(dir);
    }
}
