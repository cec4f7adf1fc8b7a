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
 * {@code mode: pass}: nothing is stored. Pass requests never reach the cache ({@link Route#isCacheable()} is
 * false), so only the answers that keep this class total matter: the request is forwarded as a pass route's.
 */
final class NoStorage implements StoragePolicy {
    static final NoStorage INSTANCE = new NoStorage();

    private NoStorage() {}

    @Override
    public OriginRequest originRequest(CacheKey key, List<Header> reader, ClientHop hop) {
        return OriginRequests.forPass("GET", key, reader, new byte[0], hop);
    }

    @Override
    public boolean credentialed(Predicate<String> readerSent) {
        return true;
    }

    @Override
    public boolean answersCredentialed(StoredEntry entry) {
        return false;
    }

    @Override
    public boolean fillsFromPeers() {
        return false;
    }

    @Override
    public Optional<String> notStorableReason(RouteConfig route, OriginResponse response, boolean credentialed) {
        return Optional.of("pass route");
    }

    @Override
    public StoredEntry toEntry(
            RouteConfig route, OriginResponse response, String deploy, long nowMillis, long purgeSequence) {
        throw new IllegalStateException("a pass route stores nothing");
    }

    @Override
    public List<String> selectingFields(OriginResponse response) {
        return List.of();
    }

    @Override
    public boolean mayServeOnError(RouteConfig route, StoredEntry expired, long nowMillis) {
        return false;
    }

    @Override
    public String toString() {
        return "no storage";
    }
}
