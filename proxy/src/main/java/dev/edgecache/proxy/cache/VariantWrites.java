package dev.edgecache.proxy.cache;

import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.store.TieredStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Writes http-route entries with their {@link Variants} index: a varying response goes under its variant key and
 * the primary key's index is updated (oldest variant evicted past {@code max-variants}); a response that does not
 * vary replaces whatever the primary key held, removing the variants of an index it replaces. The read-modify-write
 * of an index is serialised per primary key by lock striping. Blocking (disk): store executor only. Thread-safe.
 */
final class VariantWrites {
    private static final int STRIPES = 64;

    private final TieredStore store;
    private final Object[] locks = new Object[STRIPES];

    VariantWrites(TieredStore store) {
        this.store = store;
        for (int i = 0; i < STRIPES; i++) locks[i] = new Object();
    }

    /**
     * @param fields selecting fields of the response, empty when it does not vary
     * @param secondary the request's secondary key for {@code fields}; null when {@code fields} is empty
     */
    void put(
            EntryKey primary,
            StoredEntry entry,
            List<String> fields,
            @Nullable String secondary,
            int maxVariants,
            long nowMillis) {
        synchronized (locks[Math.floorMod(primary.hashCode(), STRIPES)]) {
            Optional<StoredEntry> current = store.get(primary);
            StoredEntry index = current.filter(Variants::isIndex).orElse(null);
            if (secondary == null) {
                removeVariants(primary, Variants.variantsOf(index));
                store.put(primary, entry);
                return;
            }
            List<String> known = new ArrayList<>(Variants.variantsOf(index));
            if (index != null && !Variants.fieldsOf(index).equals(fields)) { // the origin changed its Vary
                removeVariants(primary, known);
                known.clear();
            }
            List<String> next = new ArrayList<>(known);
            next.remove(secondary);
            next.add(secondary);
            List<String> evicted = new ArrayList<>();
            while (next.size() > maxVariants) evicted.add(next.remove(0));
            store.put(Variants.variantKey(primary, secondary), entry);
            if (index == null || !next.equals(known)) {
                store.put(primary, Variants.index(fields, next, primary.deploy(), nowMillis, entry.purgeSequence()));
            }
            removeVariants(primary, evicted);
        }
    }

    private void removeVariants(EntryKey primary, List<String> variants) {
        for (String v : variants) store.remove(Variants.variantKey(primary, v));
    }
}
