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
 * {@code mode: http}: a shared cache in front of a site the operator did not write (RFC 9111). The origin's own
 * {@code Cache-Control}, {@code Vary} and validators decide ({@link HttpCachePolicy}, {@link Freshness}, {@link
 * Variants}); the request carries the reader's end-to-end fields ({@link OriginRequests#forHttp}). Peers never
 * fill it: what the origin answers may depend on fields only this node saw.
 */
final class HttpStorage implements StoragePolicy {
    static final HttpStorage INSTANCE = new HttpStorage();

    private HttpStorage() {}

    @Override
    public OriginRequest originRequest(CacheKey key, List<Header> reader, ClientHop hop) {
        return OriginRequests.forHttp(key, reader, hop);
    }

    @Override
    public boolean credentialed(Predicate<String> readerSent) {
        return readerSent.test("Authorization");
    }

    @Override
    public boolean answersCredentialed(StoredEntry entry) {
        return HttpCachePolicy.allowsAuthorized(entry.headers());
    }

    @Override
    public boolean fillsFromPeers() {
        return false;
    }

    @Override
    public Optional<String> notStorableReason(RouteConfig route, OriginResponse response, boolean credentialed) {
        return HttpCachePolicy.notStorableReason(route, response, credentialed);
    }

    @Override
    public StoredEntry toEntry(
            RouteConfig route, OriginResponse response, String deploy, long nowMillis, long purgeSequence) {
        return HttpCachePolicy.toEntry(response, deploy, nowMillis, purgeSequence);
    }

    @Override
    public List<String> selectingFields(OriginResponse response) {
        return Variants.selectingFields(response.headers("Vary"));
    }

    /** Inside stale-while-revalidate, or the origin's own stale-if-error unless must-revalidate forbids it. */
    @Override
    public boolean mayServeOnError(RouteConfig route, StoredEntry expired, long nowMillis) {
        if (expired.isNegative()) return false;
        if (nowMillis < expired.staleUntilMillis()) return true;
        long window = Freshness.of(expired.status(), expired.headers(), expired.storedAtMillis())
                .staleIfErrorMillis();
        return nowMillis < expired.expiresAtMillis() + window;
    }

    @Override
    public String toString() {
        return "http storage";
    }
}
