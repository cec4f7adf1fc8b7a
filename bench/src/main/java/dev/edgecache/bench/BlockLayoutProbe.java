package dev.edgecache.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * How the pages family's table layout changes a disk hit's cost (issue 12, RESULTS §19): copies the pages of an edge
 * store into a new RocksDB with the block size, index restart interval and compression given, then times uniformly
 * random point gets over all of them, one thread, through a 32 MiB block cache with index and filter blocks in it (as
 * the edge reads). Read the store's files once first ({@code cat DIR/*.sst > /dev/null}) so that the page cache holds
 * them. Not JMH: three timed rounds, then the block cache's contents by kind.
 *
 * <pre>
 * J=$JAVA_HOME/bin/java; F="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
 * $J $F -cp bench/target/benchmarks.jar dev.edgecache.bench.BlockLayoutProbe STORE COPY 8192 16 lz4 6
 * </pre>
 *
 * Arguments: the edge store to copy (for example the one {@code bench/load/million.sh} keeps), the new directory, the
 * block size in bytes, the index restart interval (1: a full key per index entry), {@code lz4} or {@code none}, and
 * the seconds per round.
 */
public final class BlockLayoutProbe {
    private static final long BLOCK_CACHE_BYTES = 32L << 20;

    private BlockLayoutProbe() {}

    public static void main(String[] args) throws RocksDBException {
        RocksDB.loadLibrary();
        String source = args[0];
        String copy = args[1];
        long blockBytes = Long.parseLong(args[2]);
        int restartInterval = Integer.parseInt(args[3]);
        CompressionType compression =
                args[4].equals("none") ? CompressionType.NO_COMPRESSION : CompressionType.LZ4_COMPRESSION;
        int seconds = Integer.parseInt(args[5]);
        try (LRUCache cache = new LRUCache(BLOCK_CACHE_BYTES, -1, false, 0.5)) {
            BlockBasedTableConfig table = new BlockBasedTableConfig()
                    .setBlockSize(blockBytes)
                    .setIndexBlockRestartInterval(restartInterval)
                    .setBlockCache(cache)
                    .setCacheIndexAndFilterBlocks(true)
                    .setCacheIndexAndFilterBlocksWithHighPriority(true)
                    .setFilterPolicy(new BloomFilter(10))
                    .setWholeKeyFiltering(true)
                    .setDataBlockIndexType(DataBlockIndexType.kDataBlockBinaryAndHash)
                    .setDataBlockHashTableUtilRatio(0.75);
            try (Options options = new Options()
                    .setCreateIfMissing(true)
                    .setCompressionType(compression)
                    .setWriteBufferSize(64L << 20)
                    .setTableFormatConfig(table)) {
                long t0 = System.nanoTime();
                List<byte[]> keys = copyPages(source, copy, options);
                System.out.printf(
                        Locale.ROOT, "PROBE copied=%d secs=%.0f%n", keys.size(), (System.nanoTime() - t0) / 1e9);
                try (RocksDB db = RocksDB.openReadOnly(options, copy)) {
                    for (int round = 1; round <= 3; round++) timeGets(db, keys, seconds, round);
                    System.out.println(db.getProperty("rocksdb.block-cache-entry-stats"));
                }
            }
        }
    }

    /** The edge store's pages, in key order, into a new single-family store; returns their keys. */
    private static List<byte[]> copyPages(String source, String copy, Options options) throws RocksDBException {
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        try (ColumnFamilyOptions plain = new ColumnFamilyOptions();
                RocksDB from = RocksDB.openReadOnly(
                        new DBOptions(),
                        source,
                        List.of(
                                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, plain),
                                new ColumnFamilyDescriptor("pages".getBytes(StandardCharsets.UTF_8), plain),
                                new ColumnFamilyDescriptor("tags".getBytes(StandardCharsets.UTF_8), plain)),
                        handles);
                RocksDB to = RocksDB.open(options, copy);
                WriteOptions noWal = new WriteOptions().setDisableWAL(true);
                ReadOptions scan = new ReadOptions().setFillCache(false);
                RocksIterator it = from.newIterator(handles.get(1), scan)) {
            WriteBatch batch = new WriteBatch();
            for (it.seekToFirst(); it.isValid(); it.next()) {
                keys.add(it.key());
                batch.put(it.key(), it.value());
                if (keys.size() % 1000 == 0) {
                    to.write(noWal, batch);
                    batch.close();
                    batch = new WriteBatch();
                }
            }
            to.write(noWal, batch);
            batch.close();
            to.flush(new FlushOptions().setWaitForFlush(true));
            to.compactRange();
            for (ColumnFamilyHandle h : handles) h.close();
        }
        return keys;
    }

    private static void timeGets(RocksDB db, List<byte[]> keys, int seconds, int round) throws RocksDBException {
        SplittableRandom random = new SplittableRandom(round);
        long[] micros = new long[4_000_000];
        int n = 0;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        for (long now = start; now < end && n < micros.length; ) {
            byte[] value = db.get(keys.get(random.nextInt(keys.size())));
            if (value == null) throw new IllegalStateException("a copied page is missing");
            long after = System.nanoTime();
            micros[n++] = after - now;
            now = after;
        }
        double secs = (System.nanoTime() - start) / 1e9;
        long[] sorted = Arrays.copyOf(micros, n);
        Arrays.sort(sorted);
        System.out.printf(
                Locale.ROOT,
                "PROBE round=%d gets_per_s=%.0f p50_us=%.1f p99_us=%.1f%n",
                round,
                n / secs,
                sorted[n / 2] / 1e3,
                sorted[(int) (n * 0.99)] / 1e3);
    }
}
