package dev.edgecache.proxy.store;

import dev.edgecache.common.store.CorruptEntryException;
import dev.edgecache.common.store.EntryCodec;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.Store;
import dev.edgecache.common.store.StoreException;
import dev.edgecache.common.store.StoredEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk tier: RocksDB with three column families.
 *
 * <ul>
 *   <li>{@code pages}: {@link EntryKey} bytes ({@code deploy 0x00 target}) to {@link EntryCodec} values;
 *   <li>{@code tags}: {@code deploy 0x00 tag 0x00 target} to nothing, the purge-by-tag index, written in the
 *       same {@link WriteBatch} as the page so the two never disagree after a crash;
 *   <li>{@code default}: small metadata (the active deploy pointer, the purge sequence).
 * </ul>
 *
 * A value that fails its version or checksum check is deleted and reported as absent, so it is re-rendered
 * and never served. Writes go to the WAL without fsync: a process crash ({@code kill -9}) loses nothing, a
 * power loss may lose the last writes. Thread-safe; every call may block, so callers keep it off event loops.
 * Owns all RocksDB handles and closes them in reverse order of creation.
 */
public final class RocksDbStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(RocksDbStore.class);
    private static final byte[] NOTHING = new byte[0];

    static {
        RocksDB.loadLibrary();
    }

    private final DBOptions dbOptions;
    private final ColumnFamilyOptions columnOptions;
    private final WriteOptions writeOptions;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle pages;
    private final ColumnFamilyHandle tags;
    private final Runnable onCorrupt;

    private RocksDbStore(
            DBOptions dbOptions,
            ColumnFamilyOptions columnOptions,
            WriteOptions writeOptions,
            RocksDB db,
            List<ColumnFamilyHandle> handles,
            Runnable onCorrupt) {
        this.dbOptions = dbOptions;
        this.columnOptions = columnOptions;
        this.writeOptions = writeOptions;
        this.db = db;
        this.handles = handles;
        this.meta = handles.get(0);
        this.pages = handles.get(1);
        this.tags = handles.get(2);
        this.onCorrupt = onCorrupt;
    }

    /** Opens (creating if needed) the store in {@code dir}; {@code onCorrupt} runs for every dropped value. */
    public static RocksDbStore open(Path dir, Runnable onCorrupt) {
        DBOptions dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        ColumnFamilyOptions columnOptions =
                new ColumnFamilyOptions().setCompressionType(CompressionType.LZ4_COMPRESSION);
        WriteOptions writeOptions = new WriteOptions();
        List<ColumnFamilyDescriptor> families = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnOptions),
                new ColumnFamilyDescriptor("pages".getBytes(StandardCharsets.UTF_8), columnOptions),
                new ColumnFamilyDescriptor("tags".getBytes(StandardCharsets.UTF_8), columnOptions));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            RocksDB db = RocksDB.open(dbOptions, dir.toString(), families, handles);
            return new RocksDbStore(dbOptions, columnOptions, writeOptions, db, handles, onCorrupt);
        } catch (RocksDBException | IOException e) {
            writeOptions.close();
            columnOptions.close();
            dbOptions.close();
            throw new StoreException("cannot open RocksDB store at " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<StoredEntry> get(EntryKey key) {
        byte[] k = key.toBytes();
        byte[] value;
        try {
            value = db.get(pages, k);
        } catch (RocksDBException e) {
            throw new StoreException("read failed for " + key, e);
        }
        if (value == null) return Optional.empty();
        try {
            return Optional.of(EntryCodec.decode(value));
        } catch (CorruptEntryException e) {
            log.warn("store.corrupt key={} reason=\"{}\" action=dropped", key, e.getMessage());
            onCorrupt.run();
            delete(k);
            return Optional.empty();
        }
    }

    @Override
    public void put(EntryKey key, StoredEntry entry) {
        byte[] k = key.toBytes();
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(pages, k, EntryCodec.encode(entry));
            for (String tag : entry.tags()) batch.put(tags, tagKey(key, tag), NOTHING);
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new StoreException("write failed for " + key, e);
        }
    }

    /** Whether a value is stored under {@code key} (not decoded, so a corrupt value counts). */
    public boolean contains(EntryKey key) {
        try {
            return db.get(pages, key.toBytes()) != null;
        } catch (RocksDBException e) {
            throw new StoreException("read failed for " + key, e);
        }
    }

    @Override
    public boolean remove(EntryKey key) {
        return removeAll(List.of(key)) == 1;
    }

    /** Deletes the pages and their tag-index entries in one batch. */
    @Override
    public int removeAll(List<EntryKey> keys) {
        int removed = 0;
        try (WriteBatch batch = new WriteBatch()) {
            for (EntryKey key : keys) {
                byte[] k = key.toBytes();
                byte[] value = db.get(pages, k);
                if (value == null) continue;
                removed++;
                batch.delete(pages, k);
                for (String tag : tagsOf(value)) batch.delete(tags, tagKey(key, tag));
            }
            if (removed > 0) db.write(writeOptions, batch);
            return removed;
        } catch (RocksDBException e) {
            throw new StoreException("delete failed", e);
        }
    }

    private static List<String> tagsOf(byte[] value) {
        try {
            return EntryCodec.decode(value).tags();
        } catch (CorruptEntryException e) {
            return List.of(); // its index entries dangle; tag scans drop them
        }
    }

    @Override
    public List<EntryKey> keys(String deploy, String targetPrefix, int limit) {
        byte[] start = concat(EntryKey.deployStart(deploy), targetPrefix.getBytes(StandardCharsets.UTF_8));
        List<EntryKey> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(pages)) {
            for (it.seek(start); it.isValid() && out.size() < limit && startsWith(it.key(), start); it.next()) {
                out.add(EntryKey.fromBytes(it.key()));
            }
        }
        return out;
    }

    /**
     * Keys tagged {@code tag}, checked against the stored entries: index entries left behind by a page that was
     * replaced without the tag, or removed, are deleted as they are found.
     */
    @Override
    public List<EntryKey> keysTagged(String deploy, String tag) {
        byte[] prefix = concat(EntryKey.deployStart(deploy), tag.getBytes(StandardCharsets.UTF_8), new byte[] {0});
        byte[] deployPrefix = EntryKey.deployStart(deploy);
        List<EntryKey> out = new ArrayList<>();
        List<byte[]> dangling = new ArrayList<>();
        try (RocksIterator it = db.newIterator(tags)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                byte[] target = Arrays.copyOfRange(it.key(), prefix.length, it.key().length);
                EntryKey key = EntryKey.fromBytes(concat(deployPrefix, target));
                byte[] value = db.get(pages, key.toBytes());
                if (value != null && tagsOf(value).contains(tag)) out.add(key);
                else dangling.add(it.key());
            }
            for (byte[] d : dangling) db.delete(tags, writeOptions, d);
        } catch (RocksDBException e) {
            throw new StoreException("tag scan failed for " + tag, e);
        }
        return out;
    }

    /** Range-deletes a deploy's pages and tag index (DESIGN: old deploys are collected with range deletes). */
    @Override
    public void removeDeploy(String deploy) {
        try {
            db.deleteRange(pages, writeOptions, EntryKey.deployStart(deploy), EntryKey.deployEnd(deploy));
            db.deleteRange(tags, writeOptions, EntryKey.deployStart(deploy), EntryKey.deployEnd(deploy));
        } catch (RocksDBException e) {
            throw new StoreException("cannot remove deploy " + deploy, e);
        }
    }

    /** Number of pages stored for {@code deploy} (a scan: for inspection, not the request path). */
    public long countPages(String deploy) {
        byte[] start = EntryKey.deployStart(deploy);
        long n = 0;
        try (RocksIterator it = db.newIterator(pages)) {
            for (it.seek(start); it.isValid() && startsWith(it.key(), start); it.next()) n++;
        }
        return n;
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
        try {
            db.delete(pages, writeOptions, k);
        } catch (RocksDBException e) {
            throw new StoreException("delete failed", e);
        }
    }

    /** A metadata value (active deploy, purge sequence), if set. */
    public Optional<String> readMeta(String name) {
        try {
            byte[] v = db.get(meta, name.getBytes(StandardCharsets.UTF_8));
            return Optional.ofNullable(v).map(b -> new String(b, StandardCharsets.UTF_8));
        } catch (RocksDBException e) {
            throw new StoreException("meta read failed for " + name, e);
        }
    }

    public void writeMeta(String name, String value) {
        try {
            db.put(meta, writeOptions, name.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        } catch (RocksDBException e) {
            throw new StoreException("meta write failed for " + name, e);
        }
    }

    /** Overwrites the raw stored bytes of a page: tests use it to simulate on-disk corruption. */
    void putRaw(EntryKey key, byte[] value) {
        try {
            db.put(pages, writeOptions, key.toBytes(), value);
        } catch (RocksDBException e) {
            throw new StoreException("raw write failed", e);
        }
    }

    /** RocksDB's estimate of the number of stored pages. */
    public long estimatedPages() {
        return property("rocksdb.estimate-num-keys");
    }

    /** Bytes of live SST files plus memtables, for the disk-bytes gauge. */
    public long estimatedBytes() {
        return property("rocksdb.total-sst-files-size") + property("rocksdb.cur-size-all-mem-tables");
    }

    private long property(String name) {
        try {
            return db.getLongProperty(pages, name);
        } catch (RocksDBException e) {
            return -1;
        }
    }

    private static byte[] tagKey(EntryKey key, String tag) {
        return concat(
                EntryKey.deployStart(key.deploy()),
                tag.getBytes(StandardCharsets.UTF_8),
                new byte[] {0},
                key.key().toBytes());
    }

    @Override
    public void close() {
        for (int i = handles.size() - 1; i >= 0; i--) handles.get(i).close();
        db.close();
        writeOptions.close();
        columnOptions.close();
        dbOptions.close();
    }
}
