package dev.edgecache.common.store;

/** A storage backend failed (I/O, RocksDB). Backends wrap their checked exceptions in this, once. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
