package dev.edgecache.origin.db;

import org.jspecify.annotations.Nullable;

/** A failed database operation; wraps the driver's {@link java.sql.SQLException} once, at the boundary. */
public final class DatabaseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatabaseException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
