package dev.edgecache.proxy.store;

import dev.edgecache.common.store.StoreException;

/**
 * A page was not stored because the disk tier is degraded ({@link StoreHealth}): expected while the disk is full or
 * read-only, and already logged once when the state changed, so callers may count it without a WARN per miss.
 */
public final class StoreUnavailableException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message) {
        super(message);
    }
}
