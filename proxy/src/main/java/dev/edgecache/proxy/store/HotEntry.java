package dev.edgecache.proxy.store;

import dev.edgecache.common.store.Encoded;
import dev.edgecache.common.store.StoredEntry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.IllegalReferenceCountException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A stored page as the memory tier holds it (issue 12): its metadata on the heap, its identity body and each encoded
 * copy in direct memory, so that a hit writes a retained duplicate of the very bytes to the socket (no copy into a
 * direct buffer by the transport, no body-sized allocation) and the bodies do not grow the heap.
 *
 * <p>Ownership: the {@link MemoryStore} owns the buffers of the entries it made ({@link #copyOf}) and {@link
 * #release}s them once Caffeine has removed the entry, whatever the cause (eviction, remove, replace, close). A reader
 * may still hold the entry at that moment, so every use of the bytes starts with a retain, which fails with {@link
 * IllegalReferenceCountException} once the entry was released: the reader treats that as a miss. That is safe only
 * because the buffers are <em>unpooled</em>: a released pooled buffer object is recycled for another allocation, and a
 * late retain would then succeed on someone else's bytes. An entry made by {@link #wrapping} holds heap buffers over
 * a {@link StoredEntry}'s arrays that nobody releases (the garbage collector frees them), so responses are built the
 * same way from memory-tier hits and from every other stored entry.
 *
 * <p>Thread-safe: immutable, apart from the reference count of its buffers and the weak cache of {@link #toEntry}.
 */
public final class HotEntry {
    /**
     * Unpooled (see the class comment) and without a cleaner: the memory is freed at release, not whenever the
     * garbage collector gets to a {@code DirectByteBuffer}.
     */
    private static final ByteBufAllocator OFF_HEAP = UnpooledByteBufAllocator.DEFAULT;

    /** Per direct buffer: the ByteBuf objects (with a leak-detector wrapper) and malloc's own header. */
    static final int BUFFER_OVERHEAD = 128;

    private final StoredEntry meta;
    private final ByteBuf body;
    private final List<String> codings;
    private final List<ByteBuf> encoded;
    private final boolean offHeap;
    private final int weight;
    private final AtomicBoolean released = new AtomicBoolean();
    /**
     * The heap entry last made from (or for) this one. Callers compare stored entries by identity ("the very copy I
     * saw", {@code PageCache.storedMeanwhile}); answering {@link #toEntry} with the same object for as long as someone
     * holds it keeps that comparison meaning what it did when memory held the heap entries themselves.
     */
    private WeakReference<StoredEntry> heap;

    private HotEntry(StoredEntry source, ByteBuf body, List<ByteBuf> encoded, boolean offHeap) {
        this.meta = offHeap ? withoutBytes(source) : source;
        this.body = body;
        this.codings = source.codings();
        this.encoded = List.copyOf(encoded);
        this.offHeap = offHeap;
        int w = offHeap ? meta.weight() + body.capacity() + BUFFER_OVERHEAD : source.weight();
        if (offHeap) {
            for (ByteBuf b : encoded) w += b.capacity() + BUFFER_OVERHEAD + 48;
        }
        this.weight = w;
        this.heap = new WeakReference<>(source);
    }

    /**
     * Copies {@code e}'s bodies into direct memory that the caller owns and must {@link #release} (the memory tier
     * does). Read-only buffers: nothing that writes a duplicate may change what the next reader gets.
     */
    public static HotEntry copyOf(StoredEntry e) {
        List<ByteBuf> made = new ArrayList<>(1 + e.encodings().size());
        try {
            ByteBuf body = direct(e.body(), made);
            List<ByteBuf> encoded = new ArrayList<>(e.encodings().size());
            for (Encoded c : e.encodings()) encoded.add(direct(c.body(), made));
            return new HotEntry(e, body, encoded, true);
        } catch (RuntimeException | Error ex) { // e.g. OutOfDirectMemoryError: free what was made
            for (ByteBuf b : made) b.release();
            throw ex;
        }
    }

    private static ByteBuf direct(byte[] bytes, List<ByteBuf> made) {
        ByteBuf b = OFF_HEAP.directBuffer(bytes.length, bytes.length);
        made.add(b);
        b.writeBytes(bytes);
        return b.asReadOnly();
    }

    /** A view of a heap entry (a disk hit, a page just stored): its arrays wrapped, not copied; nothing to release. */
    public static HotEntry wrapping(StoredEntry e) {
        List<ByteBuf> encoded = new ArrayList<>(e.encodings().size());
        for (Encoded c : e.encodings()) encoded.add(Unpooled.wrappedBuffer(c.body()));
        return new HotEntry(e, Unpooled.wrappedBuffer(e.body()), encoded, false);
    }

    /** The entry without its bytes: what freshness, validators and headers are decided on. */
    private static StoredEntry withoutBytes(StoredEntry e) {
        return new StoredEntry(
                e.status(),
                e.headers(),
                new byte[0],
                e.storedAtMillis(),
                e.expiresAtMillis(),
                e.staleUntilMillis(),
                e.etag(),
                e.tags(),
                e.deploy(),
                e.purgeSequence(),
                List.of());
    }

    /**
     * Everything but the bytes: status, headers, times, validators, tags. For an off-heap entry its {@code body()} is
     * empty and its {@code encodings()} are none: read the bytes through {@link #body}, {@link #codings} and {@link
     * #encoded}, or take a whole copy with {@link #toEntry}.
     */
    public StoredEntry meta() {
        return meta;
    }

    /**
     * The identity body, not retained: take a {@code retainedDuplicate()} or {@code retainedSlice()} before reading
     * it, which throws {@link IllegalReferenceCountException} if the entry was released meanwhile. Never written to.
     */
    public ByteBuf body() {
        return body;
    }

    /** Bytes in the identity body. */
    public int length() {
        return body.capacity();
    }

    /** The codings of the encoded copies, in the edge's order of preference. */
    public List<String> codings() {
        return codings;
    }

    /** The encoded copy in {@code coding}, not retained (as {@link #body}), or null. */
    public @Nullable ByteBuf encoded(String coding) {
        int i = codings.indexOf(coding);
        return i < 0 ? null : encoded.get(i);
    }

    /** Bytes this entry costs the memory tier: the direct bytes, their buffer objects and the metadata. */
    public int weight() {
        return weight;
    }

    /**
     * The whole entry with its bytes on the heap, for every use but writing a hit (revalidation, stale answers,
     * promotion checks, inspection). Copies the bytes out of direct memory unless a heap copy made earlier is still
     * referenced, which it then returns (identity: see {@link #heap}).
     *
     * @throws IllegalReferenceCountException if the entry was released meanwhile (the caller sees a miss)
     */
    public StoredEntry toEntry() {
        if (!offHeap) return meta;
        synchronized (this) {
            StoredEntry known = heap.get();
            if (known != null) return known;
            byte[] bytes = copyOut(body);
            List<Encoded> copies = new ArrayList<>(encoded.size());
            for (int i = 0; i < encoded.size(); i++) copies.add(new Encoded(codings.get(i), copyOut(encoded.get(i))));
            StoredEntry e = new StoredEntry(
                    meta.status(),
                    meta.headers(),
                    bytes,
                    meta.storedAtMillis(),
                    meta.expiresAtMillis(),
                    meta.staleUntilMillis(),
                    meta.etag(),
                    meta.tags(),
                    meta.deploy(),
                    meta.purgeSequence(),
                    copies);
            heap = new WeakReference<>(e);
            return e;
        }
    }

    /** {@link #toEntry}, or empty when the entry was released meanwhile (evicted while being read: a miss). */
    public Optional<StoredEntry> toEntryUnlessReleased() {
        try {
            return Optional.of(toEntry());
        } catch (IllegalReferenceCountException evictedMeanwhile) {
            return Optional.empty();
        }
    }

    /** Retains before reading: a release racing the copy can then never free the memory under it. */
    private static byte[] copyOut(ByteBuf b) {
        ByteBuf held = b.retainedDuplicate();
        try {
            byte[] bytes = new byte[held.readableBytes()];
            held.getBytes(held.readerIndex(), bytes);
            return bytes;
        } finally {
            held.release();
        }
    }

    /** Whether the bytes live in direct memory (made by {@link #copyOf}). */
    public boolean isOffHeap() {
        return offHeap;
    }

    /** Frees the direct memory (once; later calls do nothing). Only the owner calls it. */
    void release() {
        if (!offHeap || !released.compareAndSet(false, true)) return;
        body.release();
        for (ByteBuf b : encoded) b.release();
    }

    /**
     * Whether the owner released it and no reader holds its bytes any more (then the direct memory is freed); for
     * tests. An empty body is Netty's shared empty buffer, which is never freed and counts as freed here.
     */
    boolean freed() {
        if (!released.get()) return false;
        if (body.capacity() > 0 && body.refCnt() > 0) return false;
        for (ByteBuf b : encoded) {
            if (b.capacity() > 0 && b.refCnt() > 0) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return "HotEntry[" + meta + ", offHeap=" + offHeap + ", codings=" + codings + "]";
    }
}
