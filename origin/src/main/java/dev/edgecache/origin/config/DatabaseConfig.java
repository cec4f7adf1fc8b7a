package dev.edgecache.origin.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import dev.edgecache.origin.db.Database;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The origin's {@code database:} section.
 *
 * @param url JDBC URL (default {@code jdbc:sqlite:<data>/blog.db}): {@code jdbc:sqlite:<file>} (embedded, one origin)
 *     or {@code jdbc:postgresql://host:port/db?user=..&password=..} (several origins may share it); the schema is
 *     created and migrated at start-up
 * @param poolSize connections in the pool (default {@value Database#DEFAULT_POOL_SIZE})
 */
public record DatabaseConfig(@Nullable String url, @Nullable Integer poolSize) {
    public DatabaseConfig {
        require(
                url == null || url.startsWith("jdbc:sqlite:") || url.startsWith("jdbc:postgresql:"),
                "url",
                "database url must start with jdbc:sqlite: or jdbc:postgresql:, got '" + url + "'");
        require(
                url == null || !url.contains(":memory:"),
                "url",
                "in-memory SQLite is not supported (each connection would see its own database); use a file");
        if (poolSize == null) poolSize = Database.DEFAULT_POOL_SIZE;
        require(poolSize >= 1 && poolSize <= 200, "pool-size", "pool-size must be between 1 and 200, got " + poolSize);
    }

    @Override
    public Integer poolSize() {
        return Objects.requireNonNull(poolSize); // defaulted in the constructor
    }
}
