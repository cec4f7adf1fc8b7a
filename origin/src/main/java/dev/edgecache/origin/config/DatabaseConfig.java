package dev.edgecache.origin.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import org.jspecify.annotations.Nullable;

/**
 * The origin's {@code database:} section.
 *
 * @param url JDBC URL (default {@code jdbc:sqlite:<data>/blog.db}); the schema is created and migrated at start-up
 */
public record DatabaseConfig(@Nullable String url) {
    public DatabaseConfig {
        require(url == null || url.startsWith("jdbc:"), "url", "database url must start with jdbc:, got '" + url + "'");
        require(
                url == null || !url.contains(":memory:"),
                "url",
                "in-memory SQLite is not supported (each connection would see its own database); use a file");
    }
}
