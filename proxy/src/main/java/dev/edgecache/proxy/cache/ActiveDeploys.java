package dev.edgecache.proxy.cache;

import java.util.Optional;

/**
 * What the cache needs to know of deploys: which one keys the pages served now, and which one was active before
 * it ({@code on-deploy: stale}). Implemented by the deploy registry, which sits above the cache.
 */
public interface ActiveDeploys {
    /** The deploy whose pages are served. */
    String active();

    /** The deploy active before the current one, if it is still kept. */
    Optional<String> previous();
}
