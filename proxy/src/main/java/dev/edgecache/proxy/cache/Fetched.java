package dev.edgecache.proxy.cache;

import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.origin.OriginResponse;
import org.jspecify.annotations.Nullable;

/**
 * The result of fetching a cacheable page from the origin.
 *
 * @param response what the origin answered
 * @param stored the entry now stored for it, or null when it was not storable (or the write failed)
 * @param collapsed true for a request that waited on another request's fetch
 */
public record Fetched(OriginResponse response, @Nullable StoredEntry stored, boolean collapsed) {}
