package dev.edgecache.proxy.store;

import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * One shared copy of the metadata that recurs across the memory tier's pages: header lists, header fields, names and
 * values, tag lists and deploy ids (issue 12). Pages of one site mostly carry the same {@code Content-Type}, {@code
 * Cache-Control} and {@code Server}; decoded from disk, every page had its own copy of each, about a third of the
 * objects a memory-tier entry kept on the heap, which every young collection copied while the tier filled.
 *
 * <p>A lossy, direct-mapped table of a fixed size: a slot holds the last value hashed to it, so a value unique to one
 * page (a {@code Last-Modified}) can push out a common one, whose next page then keeps its own copy and puts it back.
 * Bounded memory, no lock, no eviction policy, and nothing is ever wrong, only less shared. Thread-safe: the slots are
 * written racily, which is safe because every value kept is immutable (final fields) and equal-or-replaced is all a
 * reader needs.
 */
final class Recurring {
    /** Slots in the table, a power of two. */
    private static final int SLOTS = 4096;
    /** Longer strings are kept as they are: rarely shared, and a table must not pin large values. */
    static final int MAX_STRING = 256;

    private final @Nullable Object[] slots = new Object[SLOTS];

    /** {@code meta} with its recurring parts shared ({@code meta} has no bytes: the memory tier keeps those apart). */
    StoredEntry share(StoredEntry meta) {
        return new StoredEntry(
                meta.status(),
                headers(meta.headers()),
                meta.body(),
                meta.storedAtMillis(),
                meta.expiresAtMillis(),
                meta.staleUntilMillis(),
                meta.etag(),
                strings(meta.tags()),
                string(meta.deploy()),
                meta.purgeSequence(),
                meta.encodings());
    }

    /** The shared copy of an immutable list of strings (codings, tags), made of shared strings. */
    List<String> strings(List<String> list) {
        return list(list, this::string);
    }

    private List<Header> headers(List<Header> list) {
        return list(list, this::header);
    }

    private <T> List<T> list(List<T> list, UnaryOperator<T> shareElement) {
        if (list.isEmpty()) return List.of();
        List<T> known = known(list);
        if (known != null) return known;
        List<T> shared = new ArrayList<>(list.size());
        for (T e : list) shared.add(shareElement.apply(e));
        return keep(List.copyOf(shared));
    }

    private Header header(Header h) {
        Header known = known(h);
        if (known != null) return known;
        return keep(new Header(string(h.name()), string(h.value())));
    }

    String string(String s) {
        if (s.length() > MAX_STRING) return s;
        String known = known(s);
        return known != null ? known : keep(s);
    }

    /** The value in {@code value}'s slot if it is equal to it, else null. */
    @SuppressWarnings("unchecked") // an equal object has the same class
    private <T> @Nullable T known(T value) {
        Object there = slots[slot(value)];
        return value.equals(there) ? (T) there : null;
    }

    private <T> T keep(T value) {
        slots[slot(value)] = value;
        return value;
    }

    private static int slot(Object value) {
        int h = value.hashCode();
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }
}
