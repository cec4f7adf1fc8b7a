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
 */
public record StoreConfig(
        @Nullable Path path,
        @Nullable DataSize memory,
        @Nullable Integer retainDeploys,
        @Nullable DataSize minFreeSpace) {
    public static final Path DEFAULT_PATH = Path.of("data/edge");
    public static final DataSize DEFAULT_MEMORY = DataSize.ofMebibytes(256);
    public static final int DEFAULT_RETAIN_DEPLOYS = 3;
    public static final DataSize DEFAULT_MIN_FREE_SPACE = DataSize.ofMebibytes(64);

    public StoreConfig {
        if (path == null) path = DEFAULT_PATH;
        if (memory == null) memory = DEFAULT_MEMORY;
        if (retainDeploys == null) retainDeploys = DEFAULT_RETAIN_DEPLOYS;
        if (minFreeSpace == null) minFreeSpace = DEFAULT_MIN_FREE_SPACE;
        require(retainDeploys >= 1, "retain-deploys", "retain-deploys must be at least 1, got " + retainDeploys);
    }

    /** The section without {@code min-free-space} (its default), as written before that key existed. */
    public StoreConfig(@Nullable Path path, @Nullable DataSize memory, @Nullable Integer retainDeploys) {
        this(path, memory, retainDeploys, null);
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

    /** The same section with the store at {@code other}. */
    public StoreConfig withPath(Path other) {
        return new StoreConfig(other, memory, retainDeploys, minFreeSpace);
    }

    public static StoreConfig defaults() {
        return new StoreConfig(null, null, null, null);
    }

    public static StoreConfig at(Path path) {
        return new StoreConfig(path, null, null, null);
    }
}
