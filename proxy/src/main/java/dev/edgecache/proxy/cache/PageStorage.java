package dev.edgecache.proxy.cache;

import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.origin.OriginRequest;
import dev.edgecache.proxy.origin.OriginResponse;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code mode: persistent} and {@code mode: ttl}: pages the origin renders for the edge. The request is anonymous
 * ({@link OriginRequests#forCacheable}), the lifetime is the route's ({@link CachePolicy}), one page serves every
 * reader, so a peer's copy is as good as the origin's.
 */
final class PageStorage implements StoragePolicy {
    static final PageStorage INSTANCE = new PageStorage();

    private PageStorage() {}

    @Override
    public OriginRequest originRequest(CacheKey key, List<Header> reader, ClientHop hop) {
        return OriginRequests.forCacheable(key, reader, hop);
    }

    @Override
    public boolean credentialed(Predicate<String> readerSent) {
        return false; // never forwarded, so the page cannot depend on it
    }

    @Override
    public boolean answersCredentialed(StoredEntry entry) {
        return true;
    }

    @Override
    public boolean fillsFromPeers() {
        return true;
    }

    @Override
    public Optional<String> notStorableReason(RouteConfig route, OriginResponse response, boolean credentialed) {
        return CachePolicy.notStorableReason(route, response);
    }

    @Override
    public StoredEntry toEntry(
            RouteConfig route, OriginResponse response, String deploy, long nowMillis, long purgeSequence) {
        return CachePolicy.toEntry(route, response, deploy, nowMillis, purgeSequence);
    }

    @Override
    public List<String> selectingFields(OriginResponse response) {
        return List.of();
    }

    @Override
    public boolean mayServeOnError(RouteConfig route, StoredEntry expired, long nowMillis) {
        if (expired.isNegative()) return false;
        if (nowMillis < expired.staleUntilMillis()) return true; // inside stale-while-revalidate too
        return route.staleIfError() != null
                && nowMillis < expired.expiresAtMillis() + route.staleIfError().toMillis();
    }

    @Override
    public String toString() {
        return "page storage";
    }
}
