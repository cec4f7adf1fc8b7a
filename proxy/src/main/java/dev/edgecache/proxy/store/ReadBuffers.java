package dev.edgecache.proxy.store;

import java.nio.ByteBuffer;

/**
 * One reading thread's direct buffers for RocksDB's point reads ({@link RocksDbStore#getHot}): the key read and the
 * value it returns, reused by every read on that thread, so that a disk hit allocates neither (its value used to be
 * a new array of about 8 KB on the heap, most of a disk hit's garbage: bench/RESULTS.md §22). Not thread-safe: one per
 * thread.
 */
final class ReadBuffers {
    /** A 4 KiB page with its two compressed copies and headers is about 8 KB; twice that leaves room. */
    static final int INITIAL_VALUE_BYTES = 16 * 1024;
    /** Largest value the buffer grows to hold; a larger one is read as an array ({@link RocksDbStore#getHot}). */
    static final int MAX_VALUE_BYTES = 1 << 20;

    private ByteBuffer key = ByteBuffer.allocateDirect(1024);
    /** As large as the largest value read so far, up to a cap ({@link #fit}). */
    private ByteBuffer value = ByteBuffer.allocateDirect(INITIAL_VALUE_BYTES);

    /** {@code k} in the key buffer, ready to be read (grown first if {@code k} does not fit). */
    ByteBuffer key(byte[] k) {
        if (k.length > key.capacity()) key = ByteBuffer.allocateDirect(k.length);
        return key.clear().put(k).flip();
    }

    /** The value buffer, emptied: where RocksDB writes the next value read. */
    ByteBuffer value() {
        return value.clear();
    }

    /**
     * Grows the value buffer to hold {@code size} bytes (in powers of two), up to {@link #MAX_VALUE_BYTES}: a value
     * that did not fit is read again as an array, and the next one that size fits.
     */
    void fit(int size) {
        if (size <= value.capacity() || size > MAX_VALUE_BYTES) return;
        value = ByteBuffer.allocateDirect(Integer.highestOneBit(size - 1) << 1);
    }
}
