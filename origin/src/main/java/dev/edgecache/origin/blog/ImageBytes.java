package dev.edgecache.origin.blog;

import java.util.Optional;

/**
 * Where the bytes of uploaded images are kept; the {@code images} table always holds what they are (owner, type,
 * size). {@link #IN_DATABASE} keeps them in the row, which every origin sharing a PostgreSQL database can read;
 * {@link ImageDirectory} keeps them as files beside an embedded SQLite database, which then stays small (a page
 * read never pages image bytes through SQLite's cache, a backup copies them with {@code cp}). Every call is made
 * inside a write transaction ({@code store}, {@code forget}) or after the row was read ({@code load}), so that
 * writes serialise with the rows they belong to.
 */
public interface ImageBytes {
    /** In the row's {@code bytes} column. */
    ImageBytes IN_DATABASE = new ImageBytes() {
        @Override
        public byte[] store(String hash, byte[] bytes) {
            return bytes;
        }

        @Override
        public Optional<byte[]> load(String hash, byte[] column) {
            return Optional.of(column);
        }

        @Override
        public void forget(String hash) {}
    };

    /**
     * Keeps {@code bytes} of the image {@code hash}, inside the upload's write transaction, and returns what its
     * row's {@code bytes} column holds: the bytes themselves, or none (empty: no image is empty) when kept apart.
     */
    byte[] store(String hash, byte[] bytes);

    /** The bytes of image {@code hash} whose row's {@code bytes} column holds {@code column}; empty if lost. */
    Optional<byte[]> load(String hash, byte[] column);

    /** Drops the bytes of image {@code hash}, whose row is gone; called inside a write transaction. */
    void forget(String hash);
}
