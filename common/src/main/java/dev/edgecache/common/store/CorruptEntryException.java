package dev.edgecache.common.store;

/** A stored value whose format version is unknown or whose checksum does not match: never served. */
public final class CorruptEntryException extends StoreException {
    private static final long serialVersionUID = 1L;

    public CorruptEntryException(String message) {
        super(message);
    }
}
