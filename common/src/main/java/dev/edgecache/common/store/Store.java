package dev.edgecache.common.store;

import java.util.Optional;

/**
 * A place to keep stored pages. Implementations are thread-safe, never see a Netty buffer, and wrap their
 * backend's checked exceptions in {@link StoreException} once, at this boundary.
 *
 * <p>Required: {@link #get}, {@link #put}, {@link #remove}, {@link #close}. A {@code get} of a value that fails
 * its format or checksum check returns empty and drops the value (it is re-rendered, never served).
 *
 * <p>Calls may block (disk): callers on an event loop use the memory tier only, and hand anything else to a
 * bounded executor.
 */
public interface Store extends AutoCloseable {
    Optional<StoredEntry> get(EntryKey key);

    /** Stores {@code entry}, replacing any previous value for {@code key}. */
    void put(EntryKey key, StoredEntry entry);

    /** Removes {@code key}; true if something was stored under it. */
    boolean remove(EntryKey key);

    @Override
    void close();
}
