package dev.edgecache.common.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The edge's {@code store:} section.
 *
 * @param path RocksDB directory (default {@code data/edge})
 * @param memory byte budget of the in-memory tier (default 256MiB)
 * @param retainDeploys how many deploys keep their pages for rollback (default 3)
 * @param minFreeSpace free space on the store's file system below which the edge stops storing new pages (default
 *     {@link #DEFAULT_MIN_FREE_SPACE}, RocksDB's default write buffer: with less, a memtable flush can no longer be
 *     written); {@code 0} turns the check off and leaves only RocksDB's own errors
 * @param diskCache RocksDB's block cache (default {@link #DEFAULT_DISK_CACHE}): recently read blocks of pages and,
 *     charged to it, the index and bloom-filter blocks of every file, so that what RocksDB keeps in memory for
 *     reads is bounded by this whatever the number of pages on disk
 * @param writeBuffers RocksDB's memtables, all column families together (default {@link #DEFAULT_WRITE_BUFFERS}):
 *     new pages are kept here until flushed; writes wait for a flush rather than exceed it, and it bounds what is
 *     replayed from the write-ahead log after a crash
 */
public record StoreConfig(
        @Nullable Path path,
        @Nullable DataSize memory,
        @Nullable Integer retainDeploys,
        @Nullable DataSize minFreeSpace,
        @Nullable DataSize diskCache,
        @Nullable DataSize writeBuffers) {
    public static final Path DEFAULT_PATH = Path.of("data/edge");
    public static final DataSize DEFAULT_MEMORY = DataSize.ofMebibytes(256);
    public static final int DEFAULT_RETAIN_DEPLOYS = 3;
    public static final DataSize DEFAULT_MIN_FREE_SPACE = DataSize.ofMebibytes(64);
    public static final DataSize DEFAULT_DISK_CACHE = DataSize.ofMebibytes(32);
    public static final DataSize DEFAULT_WRITE_BUFFERS = DataSize.ofMebibytes(32);
    /** Below this RocksDB cannot hold a useful memtable for each of its three column families. */
    public static final DataSize MIN_WRITE_BUFFERS = DataSize.ofMebibytes(4);

    public StoreConfig {
        if (path == null) path = DEFAULT_PATH;
        if (memory == null) memory = DEFAULT_MEMORY;
        if (retainDeploys == null) retainDeploys = DEFAULT_RETAIN_DEPLOYS;
        if (minFreeSpace == null) minFreeSpace = DEFAULT_MIN_FREE_SPACE;
        if (diskCache == null) diskCache = DEFAULT_DISK_CACHE;
        if (writeBuffers == null) writeBuffers = DEFAULT_WRITE_BUFFERS;
        require(retainDeploys >= 1, "retain-deploys", "retain-deploys must be at least 1, got " + retainDeploys);
        require(
                writeBuffers.bytes() >= MIN_WRITE_BUFFERS.bytes(),
                "write-buffers",
                "write-buffers must be at least " + MIN_WRITE_BUFFERS.bytes() + " bytes (4MiB), got "
                        + writeBuffers.bytes());
    }

    /** The section without {@code min-free-space} (its default), as written before that key existed. */
    public StoreConfig(@Nullable Path path, @Nullable DataSize memory, @Nullable Integer retainDeploys) {
        this(path, memory, retainDeploys, null);
    }

    /** The section without the RocksDB memory keys (their defaults), as written before they existed. */
    public StoreConfig(
            @Nullable Path path,
            @Nullable DataSize memory,
            @Nullable Integer retainDeploys,
            @Nullable DataSize minFreeSpace) {
        this(path, memory, retainDeploys, minFreeSpace, null, null);
    }

    @Override
    public Path path() {
        return Objects.requireNonNull(path); // defaulted in the constructor
    }

    @Override
    public DataSize memory() {
        return Objects.requireNonNull(memory); // defaulted in the constructor
    }

    @Override
    public Integer retainDeploys() {
        return Objects.requireNonNull(retainDeploys); // defaulted in the constructor
    }

    @Override
    public DataSize minFreeSpace() {
        return Objects.requireNonNull(minFreeSpace); // defaulted in the constructor
    }

    @Override
    public DataSize diskCache() {
        return Objects.requireNonNull(diskCache); // defaulted in the constructor
    }

    @Override
    public DataSize writeBuffers() {
        return Objects.requireNonNull(writeBuffers); // defaulted in the constructor
    }

    /** The same section with the store at {@code other}. */
    public StoreConfig withPath(Path other) {
        return new StoreConfig(other, memory, retainDeploys, minFreeSpace, diskCache, writeBuffers);
    }

    public static StoreConfig defaults() {
        return new StoreConfig(null, null, null, null, null, null);
    }

    public static StoreConfig at(Path path) {
        return new StoreConfig(path, null, null, null, null, null);
    }
}
