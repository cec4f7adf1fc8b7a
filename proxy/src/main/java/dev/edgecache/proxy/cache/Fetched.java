package dev.edgecache.proxy.cache;

import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.origin.OriginResponse;
import org.jspecify.annotations.Nullable;

/**
 * The result of fetching a cacheable page from the origin.
 *
 * @param response what the origin answered (for a 304 to a revalidation: the stored response it validated)
 * @param stored the entry now stored for it, or null when it was not storable (or the write failed)
 * @param collapsed true for a request that waited on another request's fetch
 * @param variant the secondary key ({@link Variants}) of the request that was sent, when the response varies
 * @param revalidated true when the origin answered 304 to a conditional request
 * @param peer the cluster node it was filled from instead of the origin (issue 9), or null
 * @param notStored why the response was not stored (a storage rule's reason, for {@code Cache-Status}), or null
 */
public record Fetched(
        OriginResponse response,
        @Nullable StoredEntry stored,
        boolean collapsed,
        @Nullable String variant,
        boolean revalidated,
        @Nullable String peer,
        @Nullable String notStored) {

    public Fetched(
            OriginResponse response,
            @Nullable StoredEntry stored,
            boolean collapsed,
            @Nullable String variant,
            boolean revalidated,
            @Nullable String peer) {
        this(response, stored, collapsed, variant, revalidated, peer, null);
    }

    /** An answer a storage rule kept out of the store, for {@code reason}. */
    static Fetched notStored(OriginResponse response, @Nullable String variant, boolean revalidated, String reason) {
        return new Fetched(response, null, false, variant, revalidated, null, reason);
    }

    public Fetched(
            OriginResponse response,
            @Nullable StoredEntry stored,
            boolean collapsed,
            @Nullable String variant,
            boolean revalidated) {
        this(response, stored, collapsed, variant, revalidated, null);
    }

    public Fetched(OriginResponse response, @Nullable StoredEntry stored, boolean collapsed) {
        this(response, stored, collapsed, null, false, null);
    }
}
