package dev.edgecache.common.store;

import java.util.List;
import java.util.Optional;

/**
 * A place to keep stored pages. Implementations are thread-safe, never see a Netty buffer, and wrap their
 * backend's checked exceptions in {@link StoreException} once, at this boundary.
 *
 * <p>Required: {@link #get}, {@link #put}, {@link #remove}, {@link #close}. A {@code get} of a value that fails
 * its format or checksum check returns empty and drops the value (it is re-rendered, never served).
 *
 * <p>Capabilities, with defaults that refuse: {@link #keys} and {@link #keysTagged} (scans for purges and
 * inspection) and {@link #removeDeploy}. Only a store that is the source of truth (the disk tier) has them; a cache
 * in front of it delegates.
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

    /** Removes every key in {@code keys}; returns how many were there. */
    default int removeAll(List<EntryKey> keys) {
        int n = 0;
        for (EntryKey k : keys) {
            if (remove(k)) n++;
        }
        return n;
    }

    /** Keys of {@code deploy} whose target starts with {@code targetPrefix}, in key order, at most {@code limit}. */
    default List<EntryKey> keys(String deploy, String targetPrefix, int limit) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot scan keys");
    }

    /** Keys of {@code deploy} whose stored entry carries {@code tag}. */
    default List<EntryKey> keysTagged(String deploy, String tag) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no tag index");
    }

    /** Removes every entry of {@code deploy}. */
    default void removeDeploy(String deploy) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot remove a deploy");
    }

    @Override
    void close();
}
