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
 */
public record StoreConfig(
        @Nullable Path path,
        @Nullable DataSize memory,
        @Nullable Integer retainDeploys) {
    public static final Path DEFAULT_PATH = Path.of("data/edge");
    public static final DataSize DEFAULT_MEMORY = DataSize.ofMebibytes(256);
    public static final int DEFAULT_RETAIN_DEPLOYS = 3;

    public StoreConfig {
        if (path == null) path = DEFAULT_PATH;
        if (memory == null) memory = DEFAULT_MEMORY;
        if (retainDeploys == null) retainDeploys = DEFAULT_RETAIN_DEPLOYS;
        require(retainDeploys >= 1, "retain-deploys", "retain-deploys must be at least 1, got " + retainDeploys);
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

    public static StoreConfig defaults() {
        return new StoreConfig(null, null, null);
    }

    public static StoreConfig at(Path path) {
        return new StoreConfig(path, null, null);
    }
}
