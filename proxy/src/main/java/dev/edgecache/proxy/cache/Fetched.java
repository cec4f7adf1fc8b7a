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
 */
public record Fetched(
        OriginResponse response,
        @Nullable StoredEntry stored,
        boolean collapsed,
        @Nullable String variant,
        boolean revalidated,
        @Nullable String peer) {

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
