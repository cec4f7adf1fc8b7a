package dev.edgecache.proxy.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.config.DataSize;
import dev.edgecache.common.config.StoreConfig;
import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.store.Encoded;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.Store;
import dev.edgecache.common.store.StoreContractTest;
import dev.edgecache.common.store.StoredEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

class RocksDbStoreTest extends StoreContractTest {
    @TempDir
    Path dir;

    private final AtomicInteger corrupt = new AtomicInteger();

    @Override
    protected Store newStore() {
        return RocksDbStore.open(dir, corrupt::incrementAndGet);
    }

    @Test
    void entriesSurviveCloseAndReopen() {
        store.put(key("/a"), entry("persisted"));
        store.close();
        store = newStore();
        assertThat(store.get(key("/a"))).contains(entry("persisted"));
    }

    @Test
    void aSmallDeployIsCountedAndALargeOneEstimated() { // issue 12: GET /deploys took 6-10 s at a million pages
        RocksDbStore disk = (RocksDbStore) store;
        for (int i = 0; i < 2000; i++) disk.put(key("/p/" + i), entry("page " + i));
        disk.put(new EntryKey("v2", CacheKey.fromRequestTarget("/other")), entry("x"));
        assertThat(disk.countPages("v1")).isEqualTo(new RocksDbStore.PageCount(2000, false));
        RocksDbStore.PageCount estimate = disk.countPages("v1", 0); // as if the range were too large to scan
        assertThat(estimate.estimated()).isTrue();
        assertThat(estimate.pages()).isBetween(1000L, 4000L);
        assertThat(disk.countPages("v2")).isEqualTo(new RocksDbStore.PageCount(1, false));
    }

    @Test
    void aCorruptValueReadsAsAbsentIsDroppedAndCounted() {
        store.put(key("/a"), entry("x"));
        ((RocksDbStore) store).putRaw(key("/a"), new byte[] {1, 2, 3, 4, 5, 6});
        assertThat(store.get(key("/a"))).isEmpty();
        assertThat(corrupt).hasValue(1);
        assertThat(store.remove(key("/a"))).as("dropped on read").isFalse();
    }

    @Test
    void aDiskReadForTheHitPathPutsTheBodiesInDirectMemoryTheReaderOwns() { // issue 12: no value on the heap
        StoredEntry e = entry("x".repeat(5000)).withEncodings(List.of(new Encoded("gzip", new byte[] {1, 2, 3})));
        store.put(key("/a"), e);
        HotEntry read = ((RocksDbStore) store).getHot(key("/a")).orElseThrow();
        assertThat(read.isOffHeap()).isTrue();
        assertThat(read.body().isDirect()).isTrue();
        assertThat(read.meta().body()).isEmpty();
        assertThat(read.length()).isEqualTo(5000);
        assertThat(read.toEntry()).isEqualTo(e);
        read.release();
        assertThat(read.freed()).isTrue();
        assertThat(((RocksDbStore) store).getHot(key("/b"))).isEmpty();
    }

    @Test
    void aValueLargerThanTheReadingThreadsBufferIsReadAsAnArrayAndTheNextOneFits() {
        RocksDbStore rocks = (RocksDbStore) store;
        StoredEntry large = entry("x".repeat(ReadBuffers.INITIAL_VALUE_BYTES * 2));
        rocks.put(key("/large"), large);

        HotEntry first = rocks.getHot(key("/large")).orElseThrow();
        assertThat(first.isOffHeap()).as("read again as an array").isFalse();
        assertThat(first.toEntry()).isEqualTo(large);

        HotEntry second = rocks.getHot(key("/large")).orElseThrow();
        assertThat(second.isOffHeap()).as("the buffer grew to fit it").isTrue();
        assertThat(second.toEntry()).isEqualTo(large);
        second.release();
    }

    @Test
    void aValueLargerThanTheBufferCapIsAlwaysReadAsAnArray() {
        RocksDbStore rocks = (RocksDbStore) store;
        StoredEntry huge = entry("y".repeat(ReadBuffers.MAX_VALUE_BYTES + 1));
        rocks.put(key("/huge"), huge);
        for (int i = 0; i < 2; i++) {
            HotEntry read = rocks.getHot(key("/huge")).orElseThrow();
            assertThat(read.isOffHeap()).isFalse();
            assertThat(read.toEntry()).isEqualTo(huge);
        }
    }

    @Test
    void aCorruptValueReadForTheHitPathIsDroppedToo() {
        store.put(key("/a"), entry("x"));
        ((RocksDbStore) store).putRaw(key("/a"), new byte[] {1, 2, 3, 4, 5, 6});
        assertThat(((RocksDbStore) store).getHot(key("/a"))).isEmpty();
        assertThat(corrupt).hasValue(1);
        assertThat(store.remove(key("/a"))).as("dropped on read").isFalse();
    }

    @Test
    void metadataIsKept() {
        RocksDbStore rocks = (RocksDbStore) store;
        assertThat(rocks.readMeta("active-deploy")).isEmpty();
        rocks.writeMeta("active-deploy", "v2");
        rocks.close();
        store = newStore();
        assertThat(((RocksDbStore) store).readMeta("active-deploy")).contains("v2");
    }

    /** More pages than one {@code multiGet} chunk reads, so the chunk edges are crossed. */
    private static final int MANY = 2 * RocksDbStore.READ_CHUNK + 300;

    private static EntryKey page(int i) {
        return new EntryKey("v1", CacheKey.fromRequestTarget("/p/" + i));
    }

    private static StoredEntry tagged(int i, List<String> tags) {
        return new StoredEntry(
                200,
                List.of(new Header("Content-Type", "text/html")),
                ("page " + i).getBytes(StandardCharsets.UTF_8),
                1_000,
                StoredEntry.NEVER,
                StoredEntry.NEVER,
                "\"e" + i + "\"",
                tags,
                "v1",
                0);
    }

    @Test
    void aTagScanAcrossReadChunksSkipsPagesThatLostTheTagOrAreGone() { // issue 9: chunked reads, tags only
        RocksDbStore rocks = (RocksDbStore) store;
        List<EntryKey> expected = fillMixed(rocks);
        assertThat(rocks.keysTagged("v1", "t")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(rocks.keysTagged("v1", "t"))
                .as("the same after dropping the stale index entries")
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(rocks.keysTagged("v1", "n1")).hasSize((int) java.util.stream.IntStream.range(0, MANY)
                .filter(i -> i % 3 == 1 && (i % 7 == 0 || i % 11 != 0))
                .count());
        assertThat(rocks.keysTagged("v2", "t")).as("another deploy").isEmpty();
    }

    @Test
    void removeAllAcrossReadChunksDeletesThePagesAndTheirTagIndexEntries() { // issue 9: chunked reads
        RocksDbStore rocks = (RocksDbStore) store;
        List<EntryKey> keys = new ArrayList<>();
        for (int i = 0; i < MANY; i++) {
            if (i % 5 != 0) rocks.put(page(i), tagged(i, List.of("t", "n" + i % 3)));
            keys.add(page(i)); // every fifth is absent: not counted
        }
        rocks.put(page(MANY), tagged(MANY, List.of("t")));
        assertThat(rocks.removeAll(keys)).isEqualTo(MANY - (MANY + 4) / 5);
        for (int i = 0; i < MANY; i += 97) assertThat(rocks.get(page(i))).isEmpty();
        assertThat(rocks.keysTagged("v1", "t")).containsExactly(page(MANY));
        assertThat(rocks.keysTagged("v1", "n2")).isEmpty();
        rocks.put(page(3), tagged(3, List.of("n0")));
        assertThat(rocks.keysTagged("v1", "t"))
                .as("its old index entry went with it: a page stored again without the tag is not found by it")
                .containsExactly(page(MANY));
        assertThat(rocks.keysTagged("v1", "n0")).containsExactly(page(3));
    }

    /**
     * Pages tagged "t" (and "n0".."n2") across several read chunks; every seventh stored again without "t", every
     * eleventh removed, one ({@link #CORRUPT}) corrupt. Returns the keys that still carry "t": the corrupt page's too,
     * since its tags are stored apart from its value ({@link TagList}) and a purge finds it without reading it.
     */
    private List<EntryKey> fillMixed(RocksDbStore rocks) {
        List<EntryKey> expected = new ArrayList<>();
        for (int i = 0; i < MANY; i++) rocks.put(page(i), tagged(i, List.of("t", "n" + i % 3)));
        for (int i = 0; i < MANY; i++) {
            if (i % 7 == 0) rocks.put(page(i), tagged(i, List.of("n" + i % 3))); // re-rendered without "t"
            else if (i % 11 == 0) rocks.remove(page(i));
            else expected.add(page(i));
        }
        rocks.putRaw(page(CORRUPT), new byte[] {3, 0, 0, 0, 0, 9});
        return expected;
    }

    private static final int CORRUPT = 1000;

    @Test
    void removeTaggedDeletesInOnePassWhatStillCarriesTheTagAndLeavesNoIndexEntryBehind() { // issue 12
        RocksDbStore rocks = (RocksDbStore) store;
        List<EntryKey> expected = fillMixed(rocks);
        long n1Before = rocks.keysTagged("v1", "n1").size();
        long n1Purged = expected.stream()
                .filter(k -> Integer.parseInt(k.key().target().substring(3)) % 3 == 1)
                .count();

        assertThat(rocks.removeTagged("v1", "t")).containsExactlyInAnyOrderElementsOf(expected);

        for (EntryKey k : expected) assertThat(rocks.contains(k)).isFalse();
        assertThat(rocks.get(page(7))).as("stored again without the tag: kept").contains(tagged(7, List.of("n1")));
        assertThat(rocks.indexEntries("v1", "t"))
                .as("no index entry of the tag is left")
                .isZero();
        assertThat(rocks.indexEntries("v1", "n1"))
                .as("the purged pages' entries under their other tags went with them")
                .isEqualTo(n1Before - n1Purged);
        assertThat(rocks.removeTagged("v1", "t")).isEmpty();
        assertThat(rocks.removeTagged("v2", "n1")).as("another deploy").isEmpty();
    }

    @Test
    void aTagPurgeSkipsAnIndexEntryWhosePageWasDroppedAsCorrupt() { // a dropped page leaves its index entries behind
        RocksDbStore rocks = (RocksDbStore) store;
        rocks.put(page(1), tagged(1, List.of("t")));
        rocks.put(page(2), tagged(2, List.of("t")));
        rocks.putRaw(page(1), new byte[] {3, 0, 0, 0, 0, 9});
        assertThat(rocks.get(page(1)))
                .as("dropped on read, its index entry stays")
                .isEmpty();

        assertThat(rocks.removeTagged("v1", "t")).containsExactly(page(2));
        assertThat(rocks.indexEntries("v1", "t")).isZero();
    }

    @Test
    void markTaggedStaleMarksInOnePassWhatStillCarriesTheTagLikeMarkedStale() { // issue 12: soft purge
        RocksDbStore rocks = (RocksDbStore) store;
        List<EntryKey> expected = fillMixed(rocks);
        long now = 5_000;

        assertThat(rocks.markTaggedStale("v1", "t", now)).containsExactlyInAnyOrderElementsOf(expected);

        assertThat(rocks.indexEntries("v1", "t"))
                .as("the marked pages keep their entries, the dangling ones are gone")
                .isEqualTo(expected.size());
        assertThat(rocks.keysTagged("v1", "t")).containsExactlyInAnyOrderElementsOf(expected);
        for (EntryKey k : expected) {
            int i = Integer.parseInt(k.key().target().substring(3));
            if (i == CORRUPT) continue;
            assertThat(rocks.get(k))
                    .contains(tagged(i, List.of("t", "n" + i % 3)).markedStale(now));
        }
        assertThat(rocks.get(page(CORRUPT))).as("marked, yet dropped when read").isEmpty();
        assertThat(rocks.get(page(7)))
                .as("stored again without the tag: untouched")
                .contains(tagged(7, List.of("n1")));
    }

    @Test
    void aSoftPurgeMarksPagesWithoutWritingThemAgainAndStoringOrRemovingAPageClearsItsMark() { // issue 12
        RocksDbStore rocks = (RocksDbStore) store;
        for (int i = 1; i <= 3; i++) rocks.put(page(i), tagged(i, List.of("t")));
        byte[] before = rocks.getRaw(page(1));

        assertThat(rocks.markTaggedStale("v1", "t", 5_000)).containsExactlyInAnyOrder(page(1), page(2), page(3));

        assertThat(rocks.getRaw(page(1)))
                .as("the page itself is not written again")
                .isEqualTo(before);
        assertThat(rocks.get(page(1))).contains(tagged(1, List.of("t")).markedStale(5_000));
        assertThat(rocks.getHot(page(1)).orElseThrow().toEntry())
                .as("the hit path reads the mark too")
                .isEqualTo(tagged(1, List.of("t")).markedStale(5_000));
        assertThat(rocks.staleMarkCount()).isEqualTo(3);
        rocks.put(page(1), tagged(1, List.of("t")));
        assertThat(rocks.get(page(1))).as("stored again: fresh").contains(tagged(1, List.of("t")));
        assertThat(rocks.remove(page(2))).isTrue();
        assertThat(rocks.staleMarkCount())
                .as("stored again or removed: its mark went with it")
                .isEqualTo(1);
        rocks.removeDeploy("v1");
        assertThat(rocks.staleMarkCount()).as("a removed deploy leaves no mark").isZero();
    }

    @Test
    void staleMarksSurviveAReopen() {
        RocksDbStore rocks = (RocksDbStore) store;
        rocks.put(page(1), tagged(1, List.of("t")));
        rocks.put(page(2), tagged(2, List.of("u")));
        assertThat(rocks.markStale(List.of(page(1), page(9)), 5_000))
                .as("only what is stored")
                .containsExactly(page(1));
        rocks.close();
        store = newStore();

        assertThat(store.get(page(1))).contains(tagged(1, List.of("t")).markedStale(5_000));
        assertThat(store.get(page(2))).contains(tagged(2, List.of("u")));
        assertThat(store.get(page(9))).isEmpty();
    }

    @Test
    void aStoreWrittenBeforeTheStaleAndPageTagsFamiliesIsPurgedFromItsPages() throws Exception { // issue 12
        store.put(page(1), tagged(1, List.of("t", "u")));
        store.put(page(2), tagged(2, List.of("t")));
        store.close();
        dropFamilies("stale", "pagetags"); // as in a store written by the version before
        store = newStore();
        RocksDbStore rocks = (RocksDbStore) store;
        rocks.put(page(3), tagged(3, List.of("t")));

        assertThat(rocks.keysTagged("v1", "t")).containsExactlyInAnyOrder(page(1), page(2), page(3));
        assertThat(rocks.markTaggedStale("v1", "u", 5_000)).containsExactly(page(1));
        assertThat(rocks.get(page(1))).contains(tagged(1, List.of("t", "u")).markedStale(5_000));
        assertThat(rocks.removeTagged("v1", "t")).containsExactlyInAnyOrder(page(1), page(2), page(3));
        assertThat(rocks.indexEntries("v1", "u"))
                .as("the old page's other tag, read from its value, went with it")
                .isZero();
        assertThat(rocks.staleMarkCount()).isZero();
    }

    @Test
    void aFamilyAddedByALaterVersionDoesNotStopTheStoreFromOpening() throws Exception { // a rollback of the binary
        store.put(page(1), tagged(1, List.of("t")));
        store.close();
        changeClosedStore((db, families) -> db.createColumnFamily(
                        new ColumnFamilyDescriptor("later".getBytes(StandardCharsets.UTF_8)))
                .close());

        store = newStore();

        assertThat(store.get(page(1))).contains(tagged(1, List.of("t")));
        store.put(page(2), tagged(2, List.of("t")));
        assertThat(store.keysTagged("v1", "t")).containsExactlyInAnyOrder(page(1), page(2));
    }

    /** Drops column families from the closed store in {@link #dir}. */
    private void dropFamilies(String... drop) throws Exception {
        changeClosedStore((db, families) -> {
            for (String name : drop) db.dropColumnFamily(families.get(name));
        });
        try (Options options = new Options()) {
            assertThat(RocksDB.listColumnFamilies(options, dir.toString()))
                    .extracting(n -> new String(n, StandardCharsets.UTF_8))
                    .doesNotContain(drop);
        }
    }

    /** What a test does to the raw DB of a closed store: its families by name. */
    @FunctionalInterface
    private interface RawChange {
        void apply(RocksDB db, Map<String, ColumnFamilyHandle> families) throws RocksDBException;
    }

    /** Opens the closed store in {@link #dir} with plain RocksDB, every family named, and applies {@code change}. */
    private void changeClosedStore(RawChange change) throws RocksDBException {
        List<ColumnFamilyDescriptor> families = new ArrayList<>();
        try (Options options = new Options()) {
            for (byte[] n : RocksDB.listColumnFamilies(options, dir.toString())) {
                families.add(new ColumnFamilyDescriptor(n));
            }
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions();
                RocksDB db = RocksDB.open(options, dir.toString(), families, handles)) {
            Map<String, ColumnFamilyHandle> byName = new HashMap<>();
            for (int i = 0; i < families.size(); i++) {
                byName.put(new String(families.get(i).getName(), StandardCharsets.UTF_8), handles.get(i));
            }
            try {
                change.apply(db, byName);
            } finally {
                for (ColumnFamilyHandle h : handles) h.close(); // before the DB, as RocksDB requires
            }
        }
    }

    @Test
    void aStoreOfManyPagesOpensWithoutAScan() { // issue 12: nothing at open is proportional to the pages
        RocksDbStore rocks = (RocksDbStore) store;
        for (int i = 0; i < MANY; i++) rocks.put(page(i), tagged(i, List.of("t")));
        rocks.keysTagged("v1", "t");
        assertThat(rocks.scans()).as("the counter counts").isPositive();
        rocks.close();
        store = newStore();
        rocks = (RocksDbStore) store;
        assertThat(rocks.get(page(MANY - 1))).isPresent();
        assertThat(rocks.estimatedPages()).isPositive();
        assertThat(rocks.scans()).isZero();
    }

    @Test
    void rocksDbMemoryIsBoundedByConfigAndReported() { // issue 12
        store.close();
        store = RocksDbStore.open(
                new StoreConfig(dir, null, null, null, DataSize.ofMebibytes(8), DataSize.ofMebibytes(16)),
                InstantSource.system(),
                corrupt::incrementAndGet);
        RocksDbStore rocks = (RocksDbStore) store;
        for (int i = 0; i < MANY; i++) rocks.put(page(i), tagged(i, List.of("t")));
        for (int i = 0; i < MANY; i++) rocks.get(page(i));
        assertThat(rocks.blockCacheCapacity()).isEqualTo(8L << 20);
        assertThat(rocks.blockCacheUsage()).isBetween(0L, 8L << 20);
        assertThat(rocks.blockCachePinnedUsage()).isBetween(0L, 8L << 20);
        assertThat(rocks.memtableBytes()).isPositive().isLessThanOrEqualTo(16L << 20);
        assertThat(rocks.tableReaderBytes()).isNotNegative();
        rocks.close();
        assertThat(rocks.blockCacheUsage()).as("closed: unknown, not a crash").isEqualTo(-1);
    }
}
