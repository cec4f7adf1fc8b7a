package dev.edgecache.origin.testing;

import dev.edgecache.origin.config.DatabaseConfig;
import java.nio.file.Path;

/**
 * The databases every database-backed test runs on: {@code @ParameterizedClass @EnumSource(TestDatabase.class)}.
 * Each call of {@link #newUrl} gives an empty database: a file in the test's directory, or a new database on the
 * shared {@link PostgresServer} (skipped where PostgreSQL is not installed, never under CI).
 */
public enum TestDatabase {
    SQLITE,
    POSTGRESQL;

    public String newUrl(Path dir) {
        return switch (this) {
            case SQLITE -> "jdbc:sqlite:" + dir.resolve("blog.db");
            case POSTGRESQL -> PostgresServer.shared().createDatabase();
        };
    }

    public DatabaseConfig newConfig(Path dir) {
        return new DatabaseConfig(newUrl(dir), null);
    }
}
