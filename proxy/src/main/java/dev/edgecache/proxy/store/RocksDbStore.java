package dev.edgecache.proxy.store;

import dev.edgecache.common.config.StoreConfig;
import dev.edgecache.common.store.CorruptEntryException;
import dev.edgecache.common.store.EntryCodec;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.Store;
import dev.edgecache.common.store.StoreException;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.store.StoreHealth.State;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.rocksdb.AbstractEventListener;
import org.rocksdb.BackgroundErrorReason;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.HyperClockCache;
import org.rocksdb.Options;
import org.rocksdb.Range;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.SizeApproximationFlag;
import org.rocksdb.Slice;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk tier: RocksDB with five column families.
 *
 * <ul>
 *   <li>{@code pages}: {@link EntryKey} bytes ({@code deploy 0x00 target}) to {@link EntryCodec} values;
 *   <li>{@code tags}: {@code deploy 0x00 tag 0x00 target} to nothing, the purge-by-tag index, written in the
 *       same {@link WriteBatch} as the page so the two never disagree after a crash;
 *   <li>{@code pagetags}: page key to the page's tags ({@link TagList}), written and deleted with the page. Purges
 *       read it to check what an index entry names and to find a page's other index entries, instead of reading
 *       the page (issue 12; a page stored before this family existed has no entry here, and its value is read);
 *   <li>{@code stale}: page key to the time a soft purge marked it stale (8 bytes). A read applies the mark to the
 *       page ({@link EntryCodec#markedStale}); storing or removing the page clears it. Soft purges write this mark
 *       instead of rewriting every page (issue 12: a soft purge of 10,000 pages wrote 80 MB);
 *   <li>{@code default}: small metadata (the active deploy pointer, the purge sequence).
 * </ul>
 *
 * A value that fails its version or checksum check is deleted and reported as absent, so it is re-rendered
 * and never served. Writes go to the WAL without fsync: a process crash ({@code kill -9}) loses nothing, a
 * power loss may lose the last writes. Thread-safe; every call may block, so callers keep it off event loops.
 * Owns all RocksDB handles and closes them in reverse order of creation.
 *
 * <p><b>Disk trouble</b> (issue 8.6). A full or read-only disk puts the store in a degraded {@link StoreHealth}
 * state, logged once with RocksDB's status. While degraded, {@link #put} refuses at once with a
 * {@link StoreUnavailableException} (nothing is written, so nothing reaches the memory tier either: an entry is in
 * memory only once it is on disk, which is what lets purges find it); reads, deletes and metadata writes go on as far
 * as RocksDB allows. Two things degrade the store: free space on its file system below {@code store.min-free-space}
 * (checked every {@link #CHECK_INTERVAL_MILLIS} ms; RocksDB itself would only fail later, at a memtable flush,
 * without a word outside its LOG), and an error from RocksDB (from a call, or a background flush or compaction, via
 * its event listener). Recovery is automatic. After a low-space condition alone the store just resumes storing.
 * After a RocksDB error the DB is in RocksDB's own read-only error state, which the Java API cannot clear
 * ({@code DB::Resume} is not exposed, and without an {@code SstFileManager} RocksDB does not retry a no-space error
 * by itself), so the health check closes and reopens the DB once the disk takes a probe write again. If the
 * read-write open fails, the DB is opened read-only so that disk hits keep working, and the reopen is retried with
 * backoff.
 *
 * <p><b>Memory and reads at scale</b> (issue 12: a million pages, most hits from disk). What RocksDB keeps in memory
 * is bounded by config whatever the number of pages: one LRU block cache of {@code store.disk-cache}, shared by
 * the three column families, holds data blocks and, charged to it, every file's index and filter blocks (L0's
 * pinned, since every read checks them); memtables are bounded by {@code store.write-buffers} for all column
 * families together (a budget RocksDB flushes against, and per-family memtable sizes and counts that add up to no
 * more). Pages are tuned for point reads without giving up key order, which prefix scans, tag purges and
 * {@code /keys} need (so no hash memtable or plain table): a whole-key bloom filter ({@value #BLOOM_BITS_PER_KEY}
 * bits a key), a hash index inside each data block ({@code kDataBlockBinaryAndHash}), and
 * {@value #PAGE_BLOCK_BYTES}-byte blocks, a few 4 KiB pages each, so that a file's index stays small enough to live
 * in the cache. Scans for purges and inspection read around the cache rather than evict the pages readers want. At
 * open nothing reads pages: table files are opened (their footers and properties; see {@link #MAX_OPEN_FILES}),
 * and the write-ahead log replayed after a crash stays in memtables instead of being flushed before the first
 * read.
 */
public final class RocksDbStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(RocksDbStore.class);
    private static final byte[] NOTHING = new byte[0];
    /** How often free space is checked and, while degraded, recovery is tried. */
    static final long CHECK_INTERVAL_MILLIS = 1000;
    /** Most checks skipped between two failed reopen attempts (backoff doubles up to this). */
    private static final int MAX_REOPEN_BACKOFF = 30;

    /** Each reading thread's buffers ({@link #getHot}): a few store threads, so a few buffers whatever the load. */
    private static final ThreadLocal<ReadBuffers> READ_BUFFERS = ThreadLocal.withInitial(ReadBuffers::new);

    /** Pages read per {@code multiGet} by purges. */
    static final int READ_CHUNK = 1024;

    private static final String PROBE_FILE = ".edge-write-probe";

    /** Bloom filter bits per page key: about 1% false positives, so a miss rarely reads a data block. */
    static final double BLOOM_BITS_PER_KEY = 10;
    /**
     * Data block size of the pages family. A point read decompresses a whole block, so a block about one stored 4 KiB
     * page (body and its compressed copies, about 8 KiB) is read for each get; a larger page is a block of its own.
     * Measured on 1,000,000 such pages, uniform random gets (RESULTS §19): 8 KiB with {@link #INDEX_RESTART_INTERVAL}
     * 61,000 gets/s, 16 KiB 57,000, 8 KiB with a full key per index entry 21,000 (its index outgrew the cache).
     */
    static final long PAGE_BLOCK_BYTES = 8 * 1024;
    /**
     * Index entries between two full keys in an index block (the others share the previous key's prefix): page keys
     * share long prefixes (deploy, method, path), so this makes the index about a fifth of its size with one full key
     * each, and an index that fits the block cache is what keeps a disk hit to one block read.
     */
    static final int INDEX_RESTART_INTERVAL = 16;
    /**
     * Table files kept open: all (-1), as before. A limit would open files lazily, but RocksDB then estimates the page
     * count ({@code edge.store.entries}) from the few files it has opened (measured: 149,433 for 1,000,000 pages).
     * Opening every file is cheap with the index and filter blocks in the block cache (about 200 KB of table-reader
     * memory for 1,000,000 pages in 123 files) and is proportional to files (one per about 8,000 4 KiB pages),
     * not a scan of pages.
     */
    static final int MAX_OPEN_FILES = -1;
    /** {@link #countPages} scans a deploy's keys up to this many bytes of pages, and estimates beyond. */
    static final long EXACT_COUNT_BYTES = 64L << 20;

    private final Path dir;
    private final long minFreeSpace;
    private final DBOptions dbOptions;
    private final Cache blockCache;
    private final BloomFilter bloomFilter;
    private final ColumnFamilyOptions pageOptions;
    private final ColumnFamilyOptions columnOptions;
    private final WriteOptions writeOptions;
    /** For scans and purge reads: they read around the block cache instead of filling it. */
    private final ReadOptions scanReads;
    /** For {@link #getHot}'s reads into direct buffers (RocksDB's defaults, which its array reads use). */
    private final ReadOptions pointReads;

    private final ErrorListener listener;
    private final StoreHealth health;
    private final Runnable onCorrupt;
    private final ScheduledExecutorService checker;
    /** Readers of {@link #open} hold the read lock; a reopen holds the write lock while it swaps the handles. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /**
     * Writes of pages (hard purges too) hold the read lock, a soft purge's read and marking of a chunk the write lock:
     * a page stored between the purge's read and its mark would otherwise be marked stale for the page it replaced.
     * Always taken inside {@link #lock}.
     */
    private final ReentrantReadWriteLock rewrites = new ReentrantReadWriteLock();

    private @Nullable Handles open; // guarded by lock; null only when even a read-only open failed
    /**
     * Whether the {@code stale} family may hold a mark: until a soft purge writes one (or one is found at open),
     * reads and writes skip it, so the disk-hit path pays nothing for soft purges that never happened.
     */
    private volatile boolean staleMarks;
    /** RocksDB itself reported an error: its error state is only cleared by a reopen. */
    private volatile boolean reopenNeeded;
    /** Checks since the last failed reopen, and how many to wait before the next attempt. Checker thread only. */
    private int checksSinceReopen;

    private int reopenBackoff = 1;

    private @Nullable FileStore fileStore; // checker thread only

    /** Iterators opened since open: scans (tests check that opening the edge over many pages runs none). */
    private final LongAdder scans = new LongAdder();

    /**
     * One opened DB and its column families. A read-only open of a store written before {@code stale} and {@code
     * pagetags} existed has neither (it cannot create them): no marks, and purges read the pages' tags from the pages.
     */
    private record Handles(
            RocksDB db,
            List<ColumnFamilyHandle> all,
            boolean readOnly,
            @Nullable ColumnFamilyHandle staleOrNull,
            @Nullable ColumnFamilyHandle pageTagsOrNull) {
        ColumnFamilyHandle meta() {
            return all.get(0);
        }

        ColumnFamilyHandle pages() {
            return all.get(1);
        }

        ColumnFamilyHandle tags() {
            return all.get(2);
        }

        ColumnFamilyHandle stale() throws RocksDBException {
            if (staleOrNull == null) throw new RocksDBException("the store is read-only: cannot mark pages stale");
            return staleOrNull;
        }

        ColumnFamilyHandle pageTags() throws RocksDBException {
            if (pageTagsOrNull == null) throw new RocksDBException("the store is read-only: cannot write pages");
            return pageTagsOrNull;
        }

        void close() {
            for (int i = all.size() - 1; i >= 0; i--) all.get(i).close();
            db.close();
        }
    }

    /** A call on the open DB. */
    @FunctionalInterface
    private interface DbCall<T> {
        T apply(Handles h) throws RocksDBException;
    }

    /** A call on the open DB with no answer. */
    @FunctionalInterface
    private interface DbRun {
        void apply(Handles h) throws RocksDBException;
    }

    private RocksDbStore(
            Path dir,
            long minFreeSpace,
            DBOptions dbOptions,
            Cache blockCache,
            BloomFilter bloomFilter,
            ColumnFamilyOptions pageOptions,
            ColumnFamilyOptions columnOptions,
            ErrorListener listener,
            StoreHealth health,
            Runnable onCorrupt) {
        this.dir = dir;
        this.minFreeSpace = minFreeSpace;
        this.dbOptions = dbOptions;
        this.blockCache = blockCache;
        this.bloomFilter = bloomFilter;
        this.pageOptions = pageOptions;
        this.columnOptions = columnOptions;
        this.writeOptions = new WriteOptions();
        this.scanReads = new ReadOptions().setFillCache(false);
        this.pointReads = new ReadOptions();
        this.listener = listener;
        this.health = health;
        this.onCorrupt = onCorrupt;
        this.checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edge-store-health");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens (creating if needed) the store in {@code dir} with default settings; see
     * {@link #open(StoreConfig, InstantSource, Runnable)}.
     */
    public static RocksDbStore open(Path dir, Runnable onCorrupt) {
        return open(StoreConfig.at(dir), InstantSource.system(), onCorrupt);
    }

    /**
     * Opens (creating if needed) the store in {@code config.path()} and starts its health check.
     *
     * @param config {@code store.path}; {@code store.min-free-space}: free bytes below which new pages are not stored
     *     (0: no check); {@code store.disk-cache} and {@code store.write-buffers}: RocksDB's memory
     * @param clock for the time of state changes
     * @param onCorrupt runs for every dropped value
     */
    public static RocksDbStore open(StoreConfig config, InstantSource clock, Runnable onCorrupt) {
        RocksDB.loadLibrary(); // a no-op when NativeLibraries loaded it from its stable copy; needed by the listener
        Path dir = config.path();
        long writeBuffers = config.writeBuffers().bytes();
        StoreHealth health = new StoreHealth(clock);
        ErrorListener listener = new ErrorListener();
        DBOptions dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setListeners(List.of(listener))
                .setDbWriteBufferSize(writeBuffers) // RocksDB's own WriteBufferManager, without a cache to charge
                .setMaxTotalWalSize(writeBuffers) // the rarely written families cannot keep old logs alive
                .setMaxOpenFiles(MAX_OPEN_FILES)
                .setAvoidFlushDuringRecovery(true);
        // HyperClockCache (lock-free, its table sized automatically: estimated entry charge 0), RocksDB's recommended
        // block cache: with a million pages nearly every disk hit misses the block cache, and LRUCache's mutex, list
        // and hash table took about 4 % of the edge's CPU samples in uniform reads (bench/RESULTS.md §24). Index and
        // filter blocks still enter at high priority (tableConfig), though without LRUCache's reserved share.
        Cache blockCache = new HyperClockCache(config.diskCache().bytes(), 0, -1, false);
        BloomFilter bloomFilter = new BloomFilter(BLOOM_BITS_PER_KEY);
        ColumnFamilyOptions pageOptions = new ColumnFamilyOptions()
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setWriteBufferSize(writeBuffers / 4)
                .setMaxWriteBufferNumber(2)
                .setTableFormatConfig(tableConfig(blockCache)
                        .setBlockSize(PAGE_BLOCK_BYTES)
                        .setIndexBlockRestartInterval(INDEX_RESTART_INTERVAL)
                        .setFilterPolicy(bloomFilter)
                        .setWholeKeyFiltering(true)
                        .setDataBlockIndexType(DataBlockIndexType.kDataBlockBinaryAndHash)
                        .setDataBlockHashTableUtilRatio(0.75));
        ColumnFamilyOptions columnOptions = new ColumnFamilyOptions() // the tag index and metadata: scans, small
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setWriteBufferSize(writeBuffers / 8)
                .setMaxWriteBufferNumber(2)
                .setTableFormatConfig(tableConfig(blockCache));
        RocksDbStore store = new RocksDbStore(
                dir,
                config.minFreeSpace().bytes(),
                dbOptions,
                blockCache,
                bloomFilter,
                pageOptions,
                columnOptions,
                listener,
                health,
                onCorrupt);
        listener.store = store;
        try {
            Files.createDirectories(dir);
            store.open = store.openHandles(false);
        } catch (RocksDBException e) {
            State state = StoreHealth.classify(e.getStatus(), e.getMessage());
            if (state == State.NO_SPACE || state == State.READ_ONLY) store.openDegraded(state, e);
            if (store.open == null) {
                store.closeOptions();
                throw new StoreException("cannot open RocksDB store at " + dir + ": " + e.getMessage(), e);
            }
        } catch (IOException | RuntimeException e) {
            store.closeOptions();
            throw new StoreException("cannot open RocksDB store at " + dir + ": " + e.getMessage(), e);
        }
        store.check();
        var unused = store.checker.scheduleWithFixedDelay( // stopped by close(); checkQuietly never throws
                store::checkQuietly, CHECK_INTERVAL_MILLIS, CHECK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        return store;
    }

    /** Table settings every family shares: the one block cache, with index and filter blocks charged to it. */
    private static BlockBasedTableConfig tableConfig(Cache blockCache) {
        return new BlockBasedTableConfig()
                .setBlockCache(blockCache)
                .setCacheIndexAndFilterBlocks(true)
                .setCacheIndexAndFilterBlocksWithHighPriority(true)
                .setPinL0FilterAndIndexBlocksInCache(true);
    }

    /** A full or read-only disk at start: serve what is stored (read-only open) and recover like at run time. */
    private void openDegraded(State state, RocksDBException cause) {
        try {
            open = openHandles(true);
            reopenNeeded = true;
            health.degrade(
                    state, "cannot open read-write: " + StoreHealth.describe(cause.getStatus(), cause.getMessage()));
        } catch (RocksDBException e) {
            cause.addSuppressed(e);
        }
    }

    private static final byte[] STALE_FAMILY = "stale".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PAGE_TAGS_FAMILY = "pagetags".getBytes(StandardCharsets.UTF_8);

    /**
     * Opens the DB with our families and any other it has: a family added by a later version (issue 12 added two)
     * must not stop this one from opening the store after a rollback. RocksDB refuses a read-write open that leaves
     * one out; those are opened with the small families' settings and never read.
     */
    private Handles openHandles(boolean readOnly) throws RocksDBException {
        List<ColumnFamilyDescriptor> families = new ArrayList<>(List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnOptions),
                new ColumnFamilyDescriptor("pages".getBytes(StandardCharsets.UTF_8), pageOptions),
                new ColumnFamilyDescriptor("tags".getBytes(StandardCharsets.UTF_8), columnOptions)));
        List<byte[]> existing = existingFamilies();
        for (byte[] name : List.of(STALE_FAMILY, PAGE_TAGS_FAMILY)) {
            if (!readOnly || contains(existing, name)) families.add(new ColumnFamilyDescriptor(name, columnOptions));
        }
        for (byte[] name : existing) {
            boolean ours = families.stream().anyMatch(f -> Arrays.equals(f.getName(), name));
            if (!ours) families.add(new ColumnFamilyDescriptor(name, columnOptions));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db = readOnly
                ? RocksDB.openReadOnly(dbOptions, dir.toString(), families, handles)
                : RocksDB.open(dbOptions, dir.toString(), families, handles);
        ColumnFamilyHandle stale = handleOf(families, handles, STALE_FAMILY);
        if (stale != null) {
            try (RocksIterator it = db.newIterator(stale)) { // a few marks at most: not a scan of pages
                it.seekToFirst();
                if (it.isValid()) staleMarks = true;
            }
        }
        return new Handles(db, handles, readOnly, stale, handleOf(families, handles, PAGE_TAGS_FAMILY));
    }

    /** The families of the DB in {@link #dir}; none when there is no DB yet. */
    private List<byte[]> existingFamilies() throws RocksDBException {
        if (!Files.exists(dir.resolve("CURRENT"))) return List.of();
        try (Options options = new Options()) {
            return RocksDB.listColumnFamilies(options, dir.toString());
        }
    }

    private static boolean contains(List<byte[]> names, byte[] name) {
        return names.stream().anyMatch(n -> Arrays.equals(n, name));
    }

    private static @Nullable ColumnFamilyHandle handleOf(
            List<ColumnFamilyDescriptor> families, List<ColumnFamilyHandle> handles, byte[] name) {
        for (int i = 0; i < families.size(); i++) {
            if (Arrays.equals(families.get(i).getName(), name)) return handles.get(i);
        }
        return null;
    }

    /** The store's condition: what {@code /readyz} and the {@code edge.store.state} gauge show. */
    public StoreHealth health() {
        return health;
    }

    @Override
    public Optional<StoredEntry> get(EntryKey key) {
        return read(key, EntryCodec::decode);
    }

    /**
     * {@link #get} for writing a disk hit (issue 12): RocksDB copies the value into this thread's direct buffer, and
     * its bodies from there into direct memory the caller owns and must {@link HotEntry#release} ({@link
     * HotEntry#readInto}). The value is never on the heap, and the transport writes the body from where it is. While
     * soft-purge marks exist, and for a value larger than {@value ReadBuffers#MAX_VALUE_BYTES} bytes, the value is read
     * as an array instead ({@link HotEntry#reading}).
     */
    public Optional<HotEntry> getHot(EntryKey key) {
        if (staleMarks) return read(key, HotEntry::reading); // a page and its mark are read together (readMarked)
        byte[] k = key.toBytes();
        ReadBuffers buffers = READ_BUFFERS.get();
        ByteBuffer keyBuffer = buffers.key(k);
        ByteBuffer value = buffers.value();
        int size = call("read failed for " + key, h -> h.db().get(h.pages(), pointReads, keyBuffer, value));
        if (size == RocksDB.NOT_FOUND) return Optional.empty();
        if (size > value.capacity()) {
            buffers.fit(size); // for the next read of a page this large
            return read(key, HotEntry::reading);
        }
        return decoded(key, k, () -> HotEntry.readInto(value));
    }

    /** The value under {@code key}, decoded; a corrupt value is dropped and reads as nothing. */
    private <T> Optional<T> read(EntryKey key, Function<byte[], T> decoder) {
        byte[] k = key.toBytes();
        byte[] value = call("read failed for " + key, h -> Optional.ofNullable(readMarked(h, k)))
                .orElse(null);
        return value == null ? Optional.empty() : decoded(key, k, () -> decoder.apply(value));
    }

    /** What {@code decode} makes of the value read under {@code key}, or nothing if the value is corrupt (dropped). */
    private <T> Optional<T> decoded(EntryKey key, byte[] k, Supplier<T> decode) {
        try {
            return Optional.of(decode.get());
        } catch (CorruptEntryException e) {
            log.warn("store.corrupt key={} reason=\"{}\" action=dropped", key, e.getMessage());
            onCorrupt.run();
            delete(k);
            return Optional.empty();
        }
    }

    /**
     * The page under {@code k}, marked stale if a soft purge marked it (as read if it is corrupt: the decoder drops
     * it). With marks, the page and its mark are read in one {@code multiGet}, which sees both families at one point
     * in time (RocksDB's {@code MultiCFSnapshot}): read apart, a marked page read just before it is stored again could
     * meet its new version's missing mark and be served fresh.
     */
    private byte @Nullable [] readMarked(Handles h, byte[] k) throws RocksDBException {
        if (!staleMarks) return h.db().get(h.pages(), k);
        List<byte[]> read = h.db().multiGetAsList(List.of(h.pages(), h.stale()), List.of(k, k));
        byte[] value = read.get(0);
        byte[] mark = read.get(1);
        if (value == null || mark == null) return value;
        try {
            return EntryCodec.markedStale(value, ByteBuffer.wrap(mark).getLong());
        } catch (CorruptEntryException e) {
            return value;
        }
    }

    /**
     * Writes the page and its tag-index entries in one batch, clearing a soft purge's mark of the page it replaces.
     *
     * @throws StoreUnavailableException at once, writing nothing, while the store is degraded
     */
    @Override
    public void put(EntryKey key, StoredEntry entry) {
        refuseWhileDegraded(key);
        byte[] k = key.toBytes();
        byte[] value = EntryCodec.encode(entry);
        run("write failed for " + key, h -> {
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(h.pages(), k, value);
                batch.put(h.pageTags(), k, TagList.encode(entry.tags()));
                for (String tag : entry.tags()) batch.put(h.tags(), tagKey(key, tag), NOTHING);
                writePages(h, batch, k);
            }
        });
    }

    private void refuseWhileDegraded(EntryKey key) {
        StoreHealth.Snapshot s = health.snapshot();
        if (s.degraded()) {
            throw new StoreUnavailableException("not stored: " + key + ": the store is "
                    + s.state().jsonName() + " since " + s.since() + " (" + s.reason() + ")");
        }
    }

    /** Whether a value is stored under {@code key} (not decoded, so a corrupt value counts). */
    public boolean contains(EntryKey key) {
        byte[] k = key.toBytes();
        return call("read failed for " + key, h -> Optional.ofNullable(h.db().get(h.pages(), k)))
                .isPresent();
    }

    @Override
    public boolean remove(EntryKey key) {
        return removeAll(List.of(key)) == 1;
    }

    /**
     * Deletes the pages and their tag-index entries in one batch (also while degraded: purges must reach disk). Their
     * tags are read in chunks ({@link #storedTags}), not the pages: a prefix purge removes thousands.
     */
    @Override
    public int removeAll(List<EntryKey> keys) {
        return call("delete failed", h -> {
            List<byte[]> pageKeys = new ArrayList<>(keys.size());
            for (EntryKey key : keys) pageKeys.add(key.toBytes());
            List<@Nullable List<String>> tags = storedTags(h, pageKeys);
            int removed = 0;
            try (WriteBatch batch = new WriteBatch()) {
                for (int i = 0; i < pageKeys.size(); i++) {
                    List<String> pageTags = tags.get(i);
                    if (pageTags == null) continue;
                    removed++;
                    deletePage(h, batch, pageKeys.get(i));
                    for (String tag : pageTags) batch.delete(h.tags(), tagKey(keys.get(i), tag));
                }
                if (removed > 0) writePages(h, batch);
                return removed;
            }
        });
    }

    /**
     * The tags of the pages stored under {@code pageKeys}, in their order, null where no page is stored: one {@code
     * multiGet} (one JNI call) of the {@code pagetags} family per {@value #READ_CHUNK} keys. A page without an entry
     * there (stored before the family existed) is read, and its tags decoded from its value.
     */
    private List<@Nullable List<String>> storedTags(Handles h, List<byte[]> pageKeys) throws RocksDBException {
        List<@Nullable List<String>> out = new ArrayList<>(pageKeys.size());
        for (int from = 0; from < pageKeys.size(); from += READ_CHUNK) {
            List<byte[]> chunk = pageKeys.subList(from, Math.min(pageKeys.size(), from + READ_CHUNK));
            ColumnFamilyHandle pageTags = h.pageTagsOrNull();
            List<byte @Nullable []> encoded = pageTags == null
                    ? Collections.nCopies(chunk.size(), null)
                    : h.db().multiGetAsList(scanReads, Collections.nCopies(chunk.size(), pageTags), chunk);
            List<byte[]> unknown = new ArrayList<>();
            List<@Nullable List<String>> tags = new ArrayList<>(chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                byte[] e = encoded.get(i);
                List<String> t = e == null ? null : TagList.decode(e);
                if (t == null) unknown.add(chunk.get(i));
                tags.add(t);
            }
            if (!unknown.isEmpty()) { // stored before the pagetags family: read the pages themselves
                List<byte[]> values =
                        h.db().multiGetAsList(scanReads, Collections.nCopies(unknown.size(), h.pages()), unknown);
                for (int i = 0, u = 0; i < chunk.size(); i++) {
                    if (tags.get(i) != null) continue;
                    byte[] value = values.get(u++);
                    tags.set(i, value == null ? null : tagsOf(value));
                }
            }
            out.addAll(tags);
        }
        return out;
    }

    /** The tags of a stored value, without decoding its headers or body; none when it is corrupt. */
    private static List<String> tagsOf(byte[] value) {
        try {
            return EntryCodec.decodeTags(value);
        } catch (CorruptEntryException e) {
            return List.of(); // its index entries dangle; tag scans drop them
        }
    }

    @Override
    public List<EntryKey> keys(String deploy, String targetPrefix, int limit) {
        byte[] start = concat(EntryKey.deployStart(deploy), targetPrefix.getBytes(StandardCharsets.UTF_8));
        return call("key scan failed", h -> {
            List<EntryKey> out = new ArrayList<>();
            try (RocksIterator it = scan(h, h.pages())) {
                for (it.seek(start); it.isValid() && out.size() < limit && startsWith(it.key(), start); it.next()) {
                    out.add(EntryKey.fromBytes(it.key()));
                }
            }
            return out;
        });
    }

    /**
     * Keys tagged {@code tag}, checked against the stored entries: index entries left behind by a page that was
     * replaced without the tag, or removed, are deleted as they are found (not while degraded: the scan's answer is
     * the same without it). One pass over the index, then the pages' tags read in chunks ({@link #storedTags}).
     */
    @Override
    public List<EntryKey> keysTagged(String deploy, String tag) {
        byte[] prefix = concat(EntryKey.deployStart(deploy), tag.getBytes(StandardCharsets.UTF_8), new byte[] {0});
        byte[] deployPrefix = EntryKey.deployStart(deploy);
        return call("tag scan failed for " + tag, h -> {
            List<byte[]> indexKeys = new ArrayList<>();
            List<byte[]> pageKeys = new ArrayList<>();
            try (RocksIterator it = scan(h, h.tags())) {
                for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                    byte[] indexKey = it.key();
                    indexKeys.add(indexKey);
                    pageKeys.add(pageKeyOf(indexKey, prefix.length, deployPrefix));
                }
            }
            List<@Nullable List<String>> tags = storedTags(h, pageKeys);
            List<EntryKey> out = new ArrayList<>(pageKeys.size());
            try (WriteBatch dangling = new WriteBatch()) {
                for (int i = 0; i < pageKeys.size(); i++) {
                    List<String> pageTags = tags.get(i);
                    if (pageTags != null && pageTags.contains(tag)) out.add(EntryKey.fromBytes(pageKeys.get(i)));
                    else dangling.delete(h.tags(), indexKeys.get(i));
                }
                if (dangling.count() > 0 && !health.snapshot().degraded()) h.db().write(writeOptions, dangling);
            }
            return out;
        });
    }

    /**
     * Issue 12: a hard purge by tag in one pass. The index is scanned and the tags of the pages it names read in chunks
     * of {@value #READ_CHUNK} ({@link #storedTags}); a page that still carries {@code tag} is deleted in the same
     * batch as all its index entries, an index entry whose page is gone or was stored again without the tag is
     * deleted as it is found. What {@link #keysTagged} followed by {@link #removeAll} did, reading each page's tags once.
     * Runs while degraded (purges must reach disk).
     *
     * @return the keys of the pages deleted
     */
    public List<EntryKey> removeTagged(String deploy, String tag) {
        // other page writes may run between a chunk's read and its delete: at worst a page stored meanwhile is deleted
        // too, which costs a miss, never a wrong answer; so only the shared lock, as for any batch of page writes
        return purgeTagged(deploy, tag, rewrites.readLock(), (h, chunk, stored, batch) -> {
            List<EntryKey> removed = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                TagHit hit = chunk.get(i);
                List<String> tags = stored.get(i);
                if (tags == null || !tags.contains(tag)) {
                    batch.delete(h.tags(), hit.indexKey());
                    continue;
                }
                EntryKey key = EntryKey.fromBytes(hit.pageKey());
                deletePage(h, batch, hit.pageKey());
                for (String t : tags) batch.delete(h.tags(), tagKey(key, t));
                removed.add(key);
            }
            return removed;
        });
    }

    /**
     * Issue 12: a soft purge by tag in one pass: every page that still carries {@code tag} is marked stale as of
     * {@code nowMillis} (a mark in the {@code stale} family, which reads apply: {@link StoredEntry#markedStale}),
     * dangling index entries are deleted. Each chunk's read and marking exclude every other write to the pages
     * ({@link #rewrites}), so a page stored or removed meanwhile is never marked for the old one. Runs while
     * degraded, like other purges.
     *
     * @return the keys of the pages marked
     */
    public List<EntryKey> markTaggedStale(String deploy, String tag, long nowMillis) {
        staleMarks = true; // before any mark is written: a read from now on looks for one
        byte[] mark = staleMark(nowMillis);
        return purgeTagged(deploy, tag, rewrites.writeLock(), (h, chunk, stored, batch) -> {
            List<EntryKey> marked = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                TagHit hit = chunk.get(i);
                List<String> tags = stored.get(i);
                if (tags == null || !tags.contains(tag)) {
                    batch.delete(h.tags(), hit.indexKey());
                    continue;
                }
                batch.put(h.stale(), hit.pageKey(), mark);
                marked.add(EntryKey.fromBytes(hit.pageKey()));
            }
            return marked;
        });
    }

    /**
     * A soft purge of chosen pages: each one stored is marked stale as of {@code nowMillis}, like {@link
     * #markTaggedStale}, in chunks that exclude other page writes. Runs while degraded.
     *
     * @return the keys of the pages marked (those stored)
     */
    public List<EntryKey> markStale(List<EntryKey> keys, long nowMillis) {
        staleMarks = true;
        byte[] mark = staleMark(nowMillis);
        return call("soft purge failed", h -> {
            List<EntryKey> marked = new ArrayList<>();
            for (int from = 0; from < keys.size(); from += READ_CHUNK) {
                List<EntryKey> chunk = keys.subList(from, Math.min(keys.size(), from + READ_CHUNK));
                List<byte[]> pageKeys = new ArrayList<>(chunk.size());
                for (EntryKey k : chunk) pageKeys.add(k.toBytes());
                marked.addAll(lockedChunk(h, pageKeys, rewrites.writeLock(), (stored, batch) -> {
                    List<EntryKey> done = new ArrayList<>();
                    for (int i = 0; i < chunk.size(); i++) {
                        if (stored.get(i) == null) continue;
                        batch.put(h.stale(), pageKeys.get(i), mark);
                        done.add(chunk.get(i));
                    }
                    return done;
                }));
            }
            return marked;
        });
    }

    private static byte[] staleMark(long nowMillis) {
        return ByteBuffer.allocate(Long.BYTES).putLong(nowMillis).array();
    }

    /** Writes a batch that stores or deletes pages: never between a soft purge's read and write. */
    private void writePages(Handles h, WriteBatch batch) throws RocksDBException {
        writePages(h, batch, null);
    }

    /**
     * {@link #writePages(Handles, WriteBatch)} for a batch that stores the page under {@code stored}: its stale mark,
     * if any, is deleted in the batch. Looked up under the lock, so no soft purge marks it in between; a tombstone
     * only when there is a mark, not one per stored page.
     */
    private void writePages(Handles h, WriteBatch batch, byte @Nullable [] stored) throws RocksDBException {
        Lock shared = rewrites.readLock();
        shared.lock();
        try {
            if (stored != null && staleMarks && h.db().get(h.stale(), stored) != null) batch.delete(h.stale(), stored);
            h.db().write(writeOptions, batch);
        } finally {
            shared.unlock();
        }
    }

    /** One index entry found by a tag scan, and the page key it names. */
    private record TagHit(byte[] indexKey, byte[] pageKey) {}

    /** What a one-pass tag purge does with a chunk of index entries and their pages' tags (null where absent). */
    @FunctionalInterface
    private interface ChunkPurge {
        List<EntryKey> apply(Handles h, List<TagHit> chunk, List<@Nullable List<String>> stored, WriteBatch batch)
                throws RocksDBException;
    }

    /**
     * Scans the index of {@code tag} in {@code deploy}; every {@value #READ_CHUNK} entries, reads their pages' tags, lets
     * {@code purge} fill a batch and writes it, holding {@code rewriteLock} (one of {@link #rewrites}) from the read
     * to the write.
     */
    private List<EntryKey> purgeTagged(String deploy, String tag, Lock rewriteLock, ChunkPurge purge) {
        byte[] prefix = concat(EntryKey.deployStart(deploy), tag.getBytes(StandardCharsets.UTF_8), new byte[] {0});
        byte[] deployPrefix = EntryKey.deployStart(deploy);
        return call("tag purge failed for " + tag, h -> {
            List<EntryKey> out = new ArrayList<>();
            List<TagHit> chunk = new ArrayList<>(READ_CHUNK);
            try (RocksIterator it = scan(h, h.tags())) {
                for (it.seek(prefix); ; it.next()) {
                    boolean more = it.isValid() && startsWith(it.key(), prefix);
                    if (more) {
                        byte[] indexKey = it.key();
                        chunk.add(new TagHit(indexKey, pageKeyOf(indexKey, prefix.length, deployPrefix)));
                    }
                    if (chunk.size() == READ_CHUNK || (!more && !chunk.isEmpty())) {
                        out.addAll(purgeChunk(h, chunk, rewriteLock, purge));
                        chunk.clear();
                    }
                    if (!more) break;
                }
                it.status(); // an I/O error ends the scan early: throw it rather than report a partial purge
            }
            return out;
        });
    }

    private List<EntryKey> purgeChunk(Handles h, List<TagHit> chunk, Lock rewriteLock, ChunkPurge purge)
            throws RocksDBException {
        List<byte[]> pageKeys = new ArrayList<>(chunk.size());
        for (TagHit hit : chunk) pageKeys.add(hit.pageKey());
        return lockedChunk(h, pageKeys, rewriteLock, (stored, batch) -> purge.apply(h, chunk, stored, batch));
    }

    /** What a purge does with a chunk of pages, given their stored tags (null where no page is stored). */
    @FunctionalInterface
    private interface BatchFill {
        List<EntryKey> apply(List<@Nullable List<String>> stored, WriteBatch batch) throws RocksDBException;
    }

    /**
     * Reads the tags of the pages under {@code pageKeys}, lets {@code fill} fill a batch and writes it, holding {@code
     * rewriteLock} (one of {@link #rewrites}) from the read to the write: every purge chunk, by tag or by key.
     */
    private List<EntryKey> lockedChunk(Handles h, List<byte[]> pageKeys, Lock rewriteLock, BatchFill fill)
            throws RocksDBException {
        rewriteLock.lock();
        try (WriteBatch batch = new WriteBatch()) {
            List<EntryKey> done = fill.apply(storedTags(h, pageKeys), batch);
            if (batch.count() > 0) h.db().write(writeOptions, batch);
            return done;
        } finally {
            rewriteLock.unlock();
        }
    }

    /** {@code deploy 0x00 tag 0x00 target} to {@code deploy 0x00 target}. */
    private static byte[] pageKeyOf(byte[] indexKey, int prefixLength, byte[] deployPrefix) {
        byte[] pageKey = new byte[deployPrefix.length + indexKey.length - prefixLength];
        System.arraycopy(deployPrefix, 0, pageKey, 0, deployPrefix.length);
        System.arraycopy(indexKey, prefixLength, pageKey, deployPrefix.length, indexKey.length - prefixLength);
        return pageKey;
    }

    /** Adds the delete of a page, its tags, and its stale mark if marks exist, to {@code batch}. */
    private void deletePage(Handles h, WriteBatch batch, byte[] pageKey) throws RocksDBException {
        batch.delete(h.pages(), pageKey);
        batch.delete(h.pageTags(), pageKey);
        if (staleMarks) batch.delete(h.stale(), pageKey);
    }

    /** Range-deletes a deploy's pages and tag index (DESIGN: old deploys are collected with range deletes). */
    @Override
    public void removeDeploy(String deploy) {
        run("cannot remove deploy " + deploy, h -> {
            try (WriteBatch batch = new WriteBatch()) {
                batch.deleteRange(h.pages(), EntryKey.deployStart(deploy), EntryKey.deployEnd(deploy));
                batch.deleteRange(h.tags(), EntryKey.deployStart(deploy), EntryKey.deployEnd(deploy));
                batch.deleteRange(h.pageTags(), EntryKey.deployStart(deploy), EntryKey.deployEnd(deploy));
                if (staleMarks) batch.deleteRange(h.stale(), EntryKey.deployStart(deploy), EntryKey.deployEnd(deploy));
                writePages(h, batch);
            }
        });
    }

    /** A deploy's page count, and whether it is RocksDB's estimate rather than a count. */
    public record PageCount(long pages, boolean estimated) {}

    /**
     * How many pages {@code deploy} has. Counted with a key scan while its range holds at most {@value
     * #EXACT_COUNT_BYTES} bytes on disk; beyond that (issue 12: a scan of a million pages reads every block, seconds)
     * RocksDB's estimate of the family's keys, in proportion to the deploy's share of the family's bytes. Never reads
     * more than that bound.
     */
    public PageCount countPages(String deploy) {
        return countPages(deploy, EXACT_COUNT_BYTES);
    }

    PageCount countPages(String deploy, long exactCountBytes) {
        byte[] start = EntryKey.deployStart(deploy);
        byte[] end = EntryKey.deployEnd(deploy);
        return call("page count failed", h -> {
            long deployBytes = approximateBytes(h, start, end);
            if (deployBytes <= exactCountBytes) {
                long n = 0;
                try (RocksIterator it = scan(h, h.pages())) {
                    for (it.seek(start); it.isValid() && startsWith(it.key(), start); it.next()) n++;
                }
                return new PageCount(n, false);
            }
            long allBytes = approximateBytes(h, new byte[0], new byte[] {(byte) 0xff});
            long keys = h.db().getLongProperty(h.pages(), "rocksdb.estimate-num-keys");
            double share = allBytes <= 0 ? 1 : Math.min(1, (double) deployBytes / allBytes);
            return new PageCount(Math.round(keys * share), true);
        });
    }

    /** RocksDB's estimate of the bytes of pages between two keys, on disk and in the memtables. */
    private static long approximateBytes(Handles h, byte[] from, byte[] to) {
        try (Slice start = new Slice(from);
                Slice limit = new Slice(to)) {
            long[] sizes = h.db().getApproximateSizes(
                            h.pages(),
                            List.of(new Range(start, limit)),
                            SizeApproximationFlag.INCLUDE_FILES,
                            SizeApproximationFlag.INCLUDE_MEMTABLES);
            return sizes[0];
        }
    }

    /** An iterator over {@code family} that reads around the block cache, counted in {@link #scans}. */
    private RocksIterator scan(Handles h, ColumnFamilyHandle family) {
        scans.increment();
        return h.db().newIterator(family, scanReads);
    }

    /** How many scans (iterators) ran since the store was opened. */
    public long scans() {
        return scans.sum();
    }

    /** Index entries of {@code tag} in {@code deploy}, dangling or not: tests check that purges leave none behind. */
    long indexEntries(String deploy, String tag) {
        byte[] prefix = concat(EntryKey.deployStart(deploy), tag.getBytes(StandardCharsets.UTF_8), new byte[] {0});
        return call("index count failed", h -> {
            long n = 0;
            try (RocksIterator it = scan(h, h.tags())) {
                for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) n++;
            }
            return n;
        });
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private void delete(byte[] k) {
        run("delete failed", h -> {
            try (WriteBatch batch = new WriteBatch()) {
                deletePage(h, batch, k);
                writePages(h, batch);
            }
        });
    }

    /** A metadata value (active deploy, purge sequence), if set. */
    public Optional<String> readMeta(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        Optional<byte[]> v = call("meta read failed for " + name, h -> Optional.ofNullable(h.db().get(h.meta(), n)));
        return v.map(b -> new String(b, StandardCharsets.UTF_8));
    }

    public void writeMeta(String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        run("meta write failed for " + name, h -> h.db().put(h.meta(), writeOptions, n, v));
    }

    /** The raw stored bytes of a page, marks not applied: tests check that a soft purge leaves them alone. */
    byte @Nullable [] getRaw(EntryKey key) {
        return call("raw read failed", h -> Optional.ofNullable(h.db().get(h.pages(), key.toBytes())))
                .orElse(null);
    }

    /** How many stale marks are stored: tests check that storing or removing a page clears its mark. */
    long staleMarkCount() {
        return call("mark count failed", h -> {
            long n = 0;
            try (RocksIterator it = h.db().newIterator(h.stale())) {
                for (it.seekToFirst(); it.isValid(); it.next()) n++;
            }
            return n;
        });
    }

    /** Overwrites the raw stored bytes of a page: tests use it to simulate on-disk corruption. */
    void putRaw(EntryKey key, byte[] value) {
        run("raw write failed", h -> h.db().put(h.pages(), writeOptions, key.toBytes(), value));
    }

    /** RocksDB's estimate of the number of stored pages. */
    public long estimatedPages() {
        return property("rocksdb.estimate-num-keys");
    }

    /** Bytes of live SST files plus memtables, for the disk-bytes gauge. */
    public long estimatedBytes() {
        return property("rocksdb.total-sst-files-size") + property("rocksdb.cur-size-all-mem-tables");
    }

    /**
     * Bytes in the block cache ({@code store.disk-cache}): data, index and filter blocks of all three families.
     */
    public long blockCacheUsage() {
        return property("rocksdb.block-cache-usage");
    }

    /** The block cache's capacity: {@code store.disk-cache}. */
    public long blockCacheCapacity() {
        return property("rocksdb.block-cache-capacity");
    }

    /** Bytes of the block cache that cannot be evicted now (pinned L0 index and filters, blocks being read). */
    public long blockCachePinnedUsage() {
        return property("rocksdb.block-cache-pinned-usage");
    }

    /** Bytes of all memtables, active and waiting to be flushed, of all families ({@code store.write-buffers}). */
    public long memtableBytes() {
        return aggregatedProperty("rocksdb.size-all-mem-tables");
    }

    /**
     * Bytes table readers hold outside the block cache (index and filter blocks are charged to the cache, so this
     * stays small: file metadata only).
     */
    public long tableReaderBytes() {
        return aggregatedProperty("rocksdb.estimate-table-readers-mem");
    }

    /** A gauge's read: never waits for a reopen (it may run on the admin event loop), -1 when unknown. */
    private long property(String name) {
        return gaugeRead(h -> h.db().getLongProperty(h.pages(), name));
    }

    /** {@link #property} summed over the three families. */
    private long aggregatedProperty(String name) {
        return gaugeRead(h -> h.db().getAggregatedLongProperty(name));
    }

    private long gaugeRead(DbCall<Long> read) {
        Lock lock = this.lock.readLock();
        if (!lock.tryLock()) return -1;
        try {
            Handles h = open;
            return h == null ? -1 : read.apply(h);
        } catch (RocksDBException e) {
            return -1;
        } finally {
            lock.unlock();
        }
    }

    private static byte[] tagKey(EntryKey key, String tag) {
        return concat(
                EntryKey.deployStart(key.deploy()),
                tag.getBytes(StandardCharsets.UTF_8),
                new byte[] {0},
                key.key().toBytes());
    }

    /**
     * Runs {@code body} on the open DB under the read lock. A RocksDB failure that says something about the disk
     * degrades the store (logged once by {@link StoreHealth}) and marks the DB for a reopen; every failure is thrown
     * as a {@link StoreException} with RocksDB's status in its message.
     */
    private void run(String what, DbRun body) {
        call(what, h -> {
            body.apply(h);
            return Boolean.TRUE;
        });
    }

    private <T> T call(String what, DbCall<T> body) {
        Lock read = lock.readLock();
        read.lock();
        try {
            Handles h = open;
            if (h == null) {
                StoreHealth.Snapshot s = health.snapshot();
                throw new StoreUnavailableException(
                        what + ": the store is closed after a failed reopen (" + s.reason() + ")");
            }
            return body.apply(h);
        } catch (RocksDBException e) {
            String cause = StoreHealth.describe(e.getStatus(), e.getMessage());
            rocksDbFailed(StoreHealth.classify(e.getStatus(), e.getMessage()), cause);
            throw new StoreException(what + ": " + cause, e);
        } finally {
            read.unlock();
        }
    }

    /** RocksDB failed with {@code cause}: a disk condition degrades the store until a reopen. */
    private void rocksDbFailed(@Nullable State state, String cause) {
        if (state == null) return;
        reopenNeeded = true;
        StoreHealth.Snapshot s = health.snapshot();
        if (!s.degraded() || (s.state() == State.NO_SPACE && state != State.NO_SPACE)) health.degrade(state, cause);
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) { // never let one failed check cancel the schedule
            log.warn("store.check-failed error=\"{}\"", e.toString(), e);
        }
    }

    /**
     * The health check: degrades the store when free space falls below {@code store.min-free-space}, and while
     * degraded, recovers once there is room again and the disk takes a write (reopening the DB if RocksDB failed).
     * Runs on the store's health thread (and once at open).
     */
    void check() {
        long free = usableSpace();
        boolean low = minFreeSpace > 0 && free >= 0 && free < minFreeSpace;
        StoreHealth.Snapshot s = health.snapshot();
        if (low) {
            if (!s.degraded()) {
                health.degrade(
                        State.NO_SPACE,
                        "free space " + mib(free) + " on " + dir.toAbsolutePath() + " is below store.min-free-space "
                                + mib(minFreeSpace));
            }
            return;
        }
        if (!s.degraded()) return;
        if (minFreeSpace > 0 && free >= 0 && free < minFreeSpace + minFreeSpace / 16) return; // no flapping at the line
        if (!reopenNeeded) {
            health.recover("free space " + mib(free) + " is above store.min-free-space " + mib(minFreeSpace));
            return;
        }
        if (++checksSinceReopen < reopenBackoff) return;
        checksSinceReopen = 0;
        String probe = probeWrite();
        if (probe != null) {
            reopenBackoff = Math.min(reopenBackoff * 2, MAX_REOPEN_BACKOFF);
            log.debug("store.recover-wait state={} probe=\"{}\"", s.state().jsonName(), probe);
            return;
        }
        if (reopen()) {
            reopenBackoff = 1;
            health.recover("reopened the RocksDB store after the disk took writes again");
        } else {
            reopenBackoff = Math.min(reopenBackoff * 2, MAX_REOPEN_BACKOFF);
        }
    }

    /** Free bytes for this process on the store's file system, or -1 if unknown. Checker thread (and open) only. */
    private long usableSpace() {
        try {
            if (fileStore == null) fileStore = Files.getFileStore(dir); // finding the mount reads the mount table
            return fileStore.getUsableSpace(); // one statvfs
        } catch (IOException e) {
            return -1;
        }
    }

    /** Writes, syncs and deletes a small file in the store directory: null if the disk took it, else why not. */
    private @Nullable String probeWrite() {
        Path probe = dir.resolve(PROBE_FILE);
        try {
            Files.write(
                    probe,
                    new byte[64 * 1024],
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
            return null;
        } catch (IOException e) {
            return e.toString();
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // a read-only file system may refuse the delete too; the next probe truncates it
            }
        }
    }

    /**
     * Closes the DB (clearing RocksDB's error state) and opens it again read-write; if that fails, read-only, so disk
     * hits go on while the reopen is retried. Holds the write lock: calls wait for the swap.
     *
     * @return whether the store is read-write again
     */
    private boolean reopen() {
        Lock write = lock.writeLock();
        write.lock();
        try {
            if (open != null) open.close();
            open = null;
            try {
                open = openHandles(false);
                reopenNeeded = false;
                return true;
            } catch (RocksDBException e) {
                String cause = StoreHealth.describe(e.getStatus(), e.getMessage());
                log.warn("store.reopen-failed dir={} error=\"{}\" action=\"read-only until the next try\"", dir, cause);
                State state = StoreHealth.classify(e.getStatus(), e.getMessage());
                health.degrade(state != null ? state : State.FAILED, "reopen failed: " + cause);
            }
            try {
                open = openHandles(true);
            } catch (RocksDBException e) {
                log.warn(
                        "store.reopen-failed dir={} read-only=true error=\"{}\" action=\"disk reads fail until the"
                                + " next try\"",
                        dir,
                        StoreHealth.describe(e.getStatus(), e.getMessage()));
            }
            return false;
        } finally {
            write.unlock();
        }
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.1fMiB", bytes / 1048576.0);
    }

    /** Where RocksDB reports failures of its own background work (flush, compaction) and failed WAL writes. */
    private static final class ErrorListener extends AbstractEventListener {
        volatile @Nullable RocksDbStore store;

        ErrorListener() {
            super(EnabledEventCallback.ON_BACKGROUND_ERROR);
        }

        /** On a RocksDB background thread: only records the state, never calls back into the DB. */
        @Override
        public void onBackgroundError(BackgroundErrorReason reason, Status status) {
            RocksDbStore s = store;
            if (s == null) return;
            String cause =
                    "background " + reason.name().toLowerCase(Locale.ROOT).replace('_', '-') + ": "
                            + StoreHealth.describe(status, null);
            State state = StoreHealth.classify(status, null);
            s.rocksDbFailed(state != null ? state : State.FAILED, cause);
        }
    }

    /** Where RocksDB's JNI library for this platform is in its jar, e.g. {@code librocksdbjni-linux64.so}. */
    public static String nativeLibraryResource() {
        return Environment.getJniLibraryFileName("rocksdb");
    }

    /**
     * The file name {@link #loadNativeLibrary} looks for in its directory. {@code RocksDB.loadLibrary(List)} builds it
     * from {@code "rocksdbjni"} where the jar's own loader uses {@code "rocksdb"}, so it is
     * {@code librocksdbjnijni-linux64.so} (sic, RocksDB 11.8.1): the copy must carry that name to be found.
     */
    public static String nativeLibraryFileName() {
        return Environment.getJniLibraryFileName("rocksdbjni");
    }

    /**
     * Loads RocksDB's JNI library from {@code dir} (holding {@link #nativeLibraryFileName()}) instead of a fresh copy
     * in the temp directory. Must run before any other RocksDB class is used; a no-op once the library is loaded.
     */
    public static void loadNativeLibrary(Path dir) {
        RocksDB.loadLibrary(List.of(dir.toString()));
    }

    /** The options, in reverse order of creation (the DB, which uses them all, is closed first). */
    private void closeOptions() {
        pointReads.close();
        scanReads.close();
        writeOptions.close();
        columnOptions.close();
        pageOptions.close();
        bloomFilter.close();
        blockCache.close();
        dbOptions.close();
        listener.close();
        checker.shutdownNow();
    }

    @Override
    public void close() {
        checker.shutdownNow();
        try {
            if (!checker.awaitTermination(10, TimeUnit.SECONDS)) log.warn("store.close health check still running");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Lock write = lock.writeLock();
        write.lock();
        try {
            if (open != null) open.close();
            open = null;
        } finally {
            write.unlock();
        }
        closeOptions();
    }
}
