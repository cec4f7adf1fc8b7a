package dev.edgecache.proxy.store;

import dev.edgecache.common.store.CorruptEntryException;
import dev.edgecache.common.store.Encoded;
import dev.edgecache.common.store.EntryCodec;
import dev.edgecache.common.store.StoredEntry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.IllegalReferenceCountException;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * A stored page as the memory tier holds it (issue 12): its metadata on the heap, its identity body and each encoded
 * copy in direct memory, so that a hit writes a retained duplicate of the very bytes to the socket (no copy into a
 * direct buffer by the transport, no body-sized allocation) and the bodies do not grow the heap. The bodies share one
 * direct buffer, read through read-only slices: one allocation, one reference count and one set of buffer objects on
 * the heap per page (§23: those objects were most of a small page's heap). The metadata's recurring parts (header
 * lists, fields, tags, deploy id) are shared between pages ({@link Recurring}): §25 measured 30 objects and 770 bytes
 * less heap per page, and 0.7-0.8 times the GC pause time under million-page reads.
 *
 * <p>Ownership: whoever makes an entry in direct memory owns its buffer and {@link #release}s it once: the {@link
 * MemoryStore} for the entries it keeps ({@link #copyOf}, {@link #keptOf}), once Caffeine has removed the entry
 * whatever the cause (eviction, remove, replace, close), and the reader for the entry a disk read made ({@link
 * #readInto}), once it has built its response. A page read from disk and kept in memory has one buffer and two
 * owners, each holding one reference. A reader may still hold a memory-tier entry when it is released, so every use
 * of the bytes starts with a retain, which fails with {@link IllegalReferenceCountException} once every owner released
 * the buffer: the reader treats that as a miss (until then the bytes are still that page's). That is safe only
 * because the buffers are <em>unpooled</em>: a released pooled buffer object is recycled for another allocation, and a
 * late retain would then succeed on someone else's bytes. An entry made by {@link #wrapping} (a {@link StoredEntry}'s
 * arrays) or {@link #reading} (a value read as an array) holds heap buffers that nobody releases (the garbage
 * collector frees them), so responses are built the same way from memory-tier hits and from every other stored entry.
 *
 * <p>Thread-safe: immutable, apart from the reference count of its buffers and the weak cache of {@link #toEntry}.
 */
public final class HotEntry {
    /**
     * Unpooled (see the class comment) and without a cleaner: the memory is freed at release, not whenever the
     * garbage collector gets to a {@code DirectByteBuffer}.
     */
    private static final ByteBufAllocator OFF_HEAP = UnpooledByteBufAllocator.DEFAULT;
    /** The metadata memory-tier copies share ({@link Recurring}). */
    private static final Recurring RECURRING = new Recurring();

    private static final AtomicIntegerFieldUpdater<HotEntry> RELEASED =
            AtomicIntegerFieldUpdater.newUpdater(HotEntry.class, "released");

    /** Per direct allocation: the ByteBuf objects (with a leak-detector wrapper) and malloc's own header. */
    static final int BUFFER_OVERHEAD = 128;
    /**
     * Heap bytes of the objects Netty and the JDK make for one unpooled direct buffer: the buffer, its
     * {@code DirectByteBuffer}, cleaner and reference count (a class histogram, bench/RESULTS.md §23).
     */
    static final int BUFFER_OBJECTS = 192;
    /** Heap bytes of one body's view of the entry's direct buffer: a slice and its read-only wrapper. */
    static final int PART_OBJECTS = 88;
    /**
     * Heap bytes of a memory-tier entry besides its metadata's own weight and its buffers' objects: this object, its
     * lists and weak reference, the cache's node and key. Set so that {@link #heapBytes} matches the 1,950 bytes per
     * entry measured for 2 KiB pages with four stored headers when each body had a buffer of its own (§23).
     */
    static final int ENTRY_OBJECTS = 700;

    private final StoredEntry meta;
    private final ByteBuf body;
    private final List<String> codings;
    private final List<ByteBuf> encoded;
    /**
     * The one direct buffer all of a memory-tier copy's bodies are read-only slices of (one allocation and one
     * reference count per page), or null for an entry on the heap.
     */
    private final @Nullable ByteBuf block;
    /** The heap entry this one wraps ({@link #wrapping}), which {@link #toEntry} returns as it is; else null. */
    private final @Nullable StoredEntry whole;

    private final int weight;
    /** 1 once the owner released the buffers ({@link #RELEASED}: a field, not an object per entry). */
    private volatile int released;
    /**
     * The heap entry last made from (or for) this one, or null before there is one. Callers compare stored entries by
     * identity ("the very copy I saw", {@code PageCache.storedMeanwhile}); answering {@link #toEntry} with the same
     * object for as long as someone holds it keeps that comparison meaning what it did when memory held the heap
     * entries themselves.
     */
    private @Nullable WeakReference<StoredEntry> heap;

    /**
     * @param meta the entry without its bytes
     * @param whole the heap entry wrapped, or null when the bytes live only in the buffers
     * @param fromHeap a heap entry this one was copied from, kept weakly for {@link #toEntry}, or null
     */
    private HotEntry(
            StoredEntry meta,
            List<String> codings,
            ByteBuf body,
            List<ByteBuf> encoded,
            @Nullable ByteBuf block,
            @Nullable StoredEntry whole,
            @Nullable StoredEntry fromHeap) {
        this.meta = meta;
        this.body = body;
        this.codings = List.copyOf(codings);
        this.encoded = List.copyOf(encoded);
        this.block = block;
        this.whole = whole;
        int w;
        if (whole != null) {
            w = whole.weight();
        } else { // what StoredEntry#weight would say, plus the cost of the direct buffer and its views
            int perPart = block != null ? PART_OBJECTS : 0;
            w = meta.weight() + body.capacity() + perPart + (block != null ? BUFFER_OVERHEAD : 0);
            for (ByteBuf b : encoded) w += b.capacity() + perPart + 48;
        }
        this.weight = w;
        this.heap = fromHeap == null ? null : new WeakReference<>(fromHeap);
    }

    /**
     * Copies {@code e}'s bodies into direct memory that the caller owns and must {@link #release} (the memory tier
     * does). Read-only buffers: nothing that writes a duplicate may change what the next reader gets.
     */
    public static HotEntry copyOf(StoredEntry e) {
        return copyOf(wrapping(e), e);
    }

    /**
     * The entry the memory tier keeps for a page read from disk (a promotion), which the caller owns and must {@link
     * #release}: an entry in direct memory ({@link #readInto}) shares its buffer, one more reference to it, instead of
     * a copy; one on the heap ({@link #reading}, {@link #wrapping}) is copied as {@link #copyOf(StoredEntry)} does.
     */
    public static HotEntry keptOf(HotEntry read) {
        ByteBuf shared = read.block;
        if (shared == null) return copyOf(read, read.whole);
        StoredEntry meta = RECURRING.share(read.meta);
        HotEntry kept =
                new HotEntry(meta, RECURRING.strings(read.codings), read.body, read.encoded, shared, null, null);
        shared.retain(); // last: throws on a released buffer before anyone owns the new entry
        return kept;
    }

    private static HotEntry copyOf(HotEntry from, @Nullable StoredEntry fromHeap) {
        return offHeap(
                RECURRING.share(from.meta().withoutBytes()),
                RECURRING.strings(from.codings),
                from.body,
                from.encoded,
                fromHeap);
    }

    /** An entry of {@code meta} whose bodies are copied into one new direct buffer, owned by the caller. */
    private static HotEntry offHeap(
            StoredEntry meta,
            List<String> codings,
            ByteBuf bodyFrom,
            List<ByteBuf> encodedFrom,
            @Nullable StoredEntry fromHeap) {
        int bytes = bodyFrom.readableBytes();
        for (ByteBuf c : encodedFrom) bytes += c.readableBytes();
        ByteBuf block = OFF_HEAP.directBuffer(bytes, bytes); // may throw OutOfDirectMemoryError: nothing made yet
        try {
            ByteBuf body = part(block, bodyFrom);
            List<ByteBuf> encoded = new ArrayList<>(encodedFrom.size());
            for (ByteBuf c : encodedFrom) encoded.add(part(block, c));
            return new HotEntry(meta, codings, body, encoded, block, null, fromHeap);
        } catch (RuntimeException | Error ex) { // e.g. the heap is short: free the direct memory, nobody owns it
            block.release();
            throw ex;
        }
    }

    /** {@code bytes} appended to {@code block}, and a read-only view of them there, sharing its reference count. */
    private static ByteBuf part(ByteBuf block, ByteBuf bytes) {
        int at = block.writerIndex();
        int n = bytes.readableBytes();
        block.writeBytes(bytes, bytes.readerIndex(), n);
        return block.slice(at, n).asReadOnly();
    }

    /** A view of a heap entry (a page just stored): its arrays wrapped, not copied; nothing to release. */
    public static HotEntry wrapping(StoredEntry e) {
        List<ByteBuf> encoded = new ArrayList<>(e.encodings().size());
        for (Encoded c : e.encodings()) encoded.add(Unpooled.wrappedBuffer(c.body()));
        return new HotEntry(e, e.codings(), Unpooled.wrappedBuffer(e.body()), encoded, null, e, null);
    }

    /**
     * A page read from disk as an array (with its soft-purge mark, or too large for the reading thread's buffer: see
     * {@code RocksDbStore#getHot}): its bodies are slices of {@code value}, not copied out; nothing to release. A heap
     * copy is made only if someone asks for one ({@link #toEntry}).
     *
     * @throws CorruptEntryException as {@link EntryCodec#decode}
     */
    public static HotEntry reading(byte[] value) {
        EntryCodec.Parts parts = EntryCodec.decodeParts(value);
        List<ByteBuf> encoded = new ArrayList<>(parts.codings().size());
        for (EntryCodec.Span span : parts.encodings()) encoded.add(slice(value, span));
        return new HotEntry(parts.meta(), parts.codings(), slice(value, parts.body()), encoded, null, null, null);
    }

    /**
     * A page as a disk read left it in {@code value} (a direct buffer the reading thread reuses, from index 0 to its
     * limit): its bodies copied into direct memory of their own, which the reader owns and must {@link #release} once
     * it has built its response (issue 12: a disk hit then neither puts the value on the heap nor has the transport
     * copy the body into direct memory, and a promotion shares the bodies instead of copying them, {@link #keptOf}).
     *
     * @throws CorruptEntryException as {@link EntryCodec#decode}
     */
    public static HotEntry readInto(ByteBuffer value) {
        EntryCodec.Parts parts = EntryCodec.decodeParts(value);
        ByteBuf read = Unpooled.wrappedBuffer(value.duplicate()); // a view of the value: nothing to release
        List<ByteBuf> encoded = new ArrayList<>(parts.codings().size());
        for (EntryCodec.Span span : parts.encodings()) encoded.add(read.slice(span.offset(), span.length()));
        ByteBuf body = read.slice(parts.body().offset(), parts.body().length());
        return offHeap(parts.meta(), parts.codings(), body, encoded, null);
    }

    private static ByteBuf slice(byte[] value, EntryCodec.Span span) {
        return Unpooled.wrappedBuffer(value, span.offset(), span.length());
    }

    /**
     * Everything but the bytes: status, headers, times, validators, tags. Unless made by {@link #wrapping}, its {@code
     * body()} is empty and its {@code encodings()} are none: read the bytes through {@link #body}, {@link #codings} and
     * {@link #encoded}, or take a whole copy with {@link #toEntry}.
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
     * Heap bytes a memory-tier copy ({@link #copyOf}) keeps alive, an estimate: its metadata and the objects around
     * its direct buffers and its place in the cache. Small pages make this most of an entry's cost. An upper bound:
     * it counts the metadata as if none of it were shared with other pages ({@link Recurring}).
     */
    public int heapBytes() {
        return meta.weight() + ENTRY_OBJECTS + BUFFER_OBJECTS + (1 + encoded.size()) * PART_OBJECTS;
    }

    /**
     * The whole entry with its bytes on the heap, for every use but writing a hit (revalidation, stale answers,
     * promotion checks, inspection). Copies the bytes out of direct memory unless a heap copy made earlier is still
     * referenced, which it then returns (identity: see {@link #heap}).
     *
     * @throws IllegalReferenceCountException if the entry was released meanwhile (the caller sees a miss)
     */
    public StoredEntry toEntry() {
        if (whole != null) return whole;
        synchronized (this) {
            StoredEntry known = heap == null ? null : heap.get();
            if (known != null) return known;
            byte[] bytes = copyOut(body);
            List<Encoded> copies = new ArrayList<>(encoded.size());
            for (int i = 0; i < encoded.size(); i++) copies.add(new Encoded(codings.get(i), copyOut(encoded.get(i))));
            StoredEntry e = meta.withBytes(bytes, copies);
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

    /** {@link #toEntry}, then {@link #release}: for the owner of an entry a disk read made that needs only a copy. */
    public StoredEntry toEntryReleasing() {
        try {
            return toEntry();
        } finally {
            release();
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

    /** Whether the bytes live in direct memory (made by {@link #copyOf}, {@link #keptOf} or {@link #readInto}). */
    public boolean isOffHeap() {
        return block != null;
    }

    /**
     * Frees this entry's hold on its direct memory (once; later calls do nothing; nothing for an entry on the heap).
     * Only the owner calls it: the memory tier for the entries it keeps, the reader for one {@link #readInto} made.
     */
    public void release() {
        if (block == null || !RELEASED.compareAndSet(this, 0, 1)) return;
        block.release();
    }

    /**
     * Whether the owner released it and no reader holds its bytes any more (then the direct memory is freed); for
     * tests. A page without bytes has Netty's shared empty buffer, which is never freed and counts as freed here.
     */
    boolean freed() {
        return released == 1 && (block == null || block.capacity() == 0 || block.refCnt() == 0);
    }

    @Override
    public String toString() {
        return "HotEntry[" + meta + ", offHeap=" + isOffHeap() + ", codings=" + codings + "]";
    }
}
