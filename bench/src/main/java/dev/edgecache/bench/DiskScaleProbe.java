package dev.edgecache.bench;

import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.store.RocksDbStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Issue 12's "a million pages" at the store level, without HTTP: many 4 KiB pages in one {@link RocksDbStore}, then
 * uniformly random point reads from SST files (the memory tier is not involved), and the time a fresh process takes
 * to open the store and answer its first read. Each phase is its own process ({@code fill}, then {@code read}), so
 * that {@code read} measures a real start. Not JMH: one long run per phase, figures printed as {@code PROBE} lines.
 *
 * <pre>
 * J=$JAVA_HOME/bin/java; F="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
 * $J $F -cp bench/target/benchmarks.jar dev.edgecache.bench.DiskScaleProbe fill /tmp/scale 1000000
 * $J $F -cp bench/target/benchmarks.jar dev.edgecache.bench.DiskScaleProbe read /tmp/scale 1000000 4 20
 * </pre>
 *
 * Arguments: {@code fill DIR PAGES} or {@code read DIR PAGES THREADS SECONDS}. Pages are {@code /p/<i>}, bodies
 * 4096 bytes of blog-like markup (64 distinct bodies, so they compress like real pages).
 */
public final class DiskScaleProbe {
    static final int BODY_BYTES = 4096;
    static final int DISTINCT_BODIES = 64;
    /** Latencies are counted per microsecond up to this (100 ms), longer ones in the last slot. */
    static final int MAX_MICROS = 100_000;

    private DiskScaleProbe() {}

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        Path dir = Path.of(args[1]);
        int pages = Integer.parseInt(args[2]);
        switch (args[0]) {
            case "fill" -> fill(dir, pages);
            case "read" -> read(dir, pages, Integer.parseInt(args[3]), Integer.parseInt(args[4]), start);
            default -> throw new IllegalArgumentException("fill or read, not " + args[0]);
        }
    }

    static EntryKey key(int i) {
        return Pages.key("/p/" + i);
    }

    private static void fill(Path dir, int pages) {
        List<StoredEntry> bodies = new ArrayList<>();
        for (int i = 0; i < DISTINCT_BODIES; i++) {
            StoredEntry t = Pages.entry(16, i);
            bodies.add(new StoredEntry(
                    t.status(),
                    t.headers(),
                    Pages.blogPost(BODY_BYTES, i),
                    t.storedAtMillis(),
                    t.expiresAtMillis(),
                    t.staleUntilMillis(),
                    t.etag(),
                    List.of("page", "body:" + i),
                    t.deploy(),
                    0));
        }
        long t0 = System.nanoTime();
        try (RocksDbStore store = RocksDbStore.open(dir, () -> {})) {
            for (int i = 0; i < pages; i++) store.put(key(i), bodies.get(i % DISTINCT_BODIES));
            long t1 = System.nanoTime();
            System.out.printf(
                    Locale.ROOT,
                    "PROBE fill pages=%d seconds=%.1f pages/s=%.0f%n",
                    pages,
                    (t1 - t0) / 1e9,
                    pages / ((t1 - t0) / 1e9));
        }
        System.out.printf(Locale.ROOT, "PROBE fill closed seconds=%.1f%n", (System.nanoTime() - t0) / 1e9);
    }

    private static void read(Path dir, int pages, int threads, int seconds, long processStart) throws Exception {
        org.rocksdb.RocksDB.loadLibrary();
        long t0 = System.nanoTime();
        System.out.printf(Locale.ROOT, "PROBE load-library ms=%.1f%n", (t0 - processStart) / 1e6);
        try (RocksDbStore store = RocksDbStore.open(dir, () -> {})) {
            boolean found = store.get(key(pages / 2)).isPresent();
            long t1 = System.nanoTime();
            System.out.printf(
                    Locale.ROOT,
                    "PROBE open+first-read ms=%.1f (since main %.1f) found=%s estimated-pages=%d%n",
                    (t1 - t0) / 1e6,
                    (t1 - processStart) / 1e6,
                    found,
                    store.estimatedPages());
            LongAdder reads = new LongAdder();
            LongAdder misses = new LongAdder();
            List<long[]> histograms = new ArrayList<>();
            List<Thread> workers = new ArrayList<>();
            long warmEnd = System.nanoTime() + 3_000_000_000L;
            long end = warmEnd + seconds * 1_000_000_000L;
            for (int t = 0; t < threads; t++) {
                long[] h = new long[MAX_MICROS + 1];
                histograms.add(h);
                SplittableRandom random = new SplittableRandom(t * 7919L + 1);
                workers.add(Thread.ofPlatform().name("probe-" + t).start(() -> {
                    while (true) {
                        long s = System.nanoTime();
                        if (s >= end) return;
                        boolean hit = store.get(key(random.nextInt(pages))).isPresent();
                        long e = System.nanoTime();
                        if (s >= warmEnd) {
                            h[(int) Math.min(MAX_MICROS, (e - s) / 1000)]++;
                            reads.increment();
                            if (!hit) misses.increment();
                        }
                    }
                }));
            }
            for (Thread w : workers) w.join();
            long[] all = new long[MAX_MICROS + 1];
            for (long[] h : histograms) for (int i = 0; i <= MAX_MICROS; i++) all[i] += h[i];
            System.out.printf(
                    Locale.ROOT,
                    "PROBE read threads=%d reads/s=%.0f p50=%.3fms p99=%.3fms p999=%.3fms misses=%d rss=%dMiB%n",
                    threads,
                    reads.sum() / (double) seconds,
                    percentile(all, 50) / 1e3,
                    percentile(all, 99) / 1e3,
                    percentile(all, 99.9) / 1e3,
                    misses.sum(),
                    rssMib());
            System.out.printf(
                    Locale.ROOT,
                    "PROBE rocksdb cache=%d/%d pinned=%d memtables=%d table-readers=%d%n",
                    store.blockCacheUsage(),
                    store.blockCacheCapacity(),
                    store.blockCachePinnedUsage(),
                    store.memtableBytes(),
                    store.tableReaderBytes());
        }
    }

    /** The latency in microseconds at percentile {@code p} of per-microsecond counts. */
    private static long percentile(long[] counts, double p) {
        long total = 0;
        for (long c : counts) total += c;
        long rank = (long) Math.ceil(total * p / 100);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) return i;
        }
        return counts.length - 1;
    }

    private static long rssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
