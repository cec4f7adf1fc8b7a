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
    public OriginRequest originRequest(RouteConfig route, CacheKey key, List<Header> reader, ClientHop hop) {
        return OriginRequests.forHttp(route, key, reader, hop);
    }

    /** {@code Authorization}, or {@code Cookie} where the route forwards it ({@link Credentials}). */
    @Override
    public boolean credentialed(RouteConfig route, Predicate<String> readerSent) {
        return readerSent.test("Authorization") || (route.forwardCookies() && readerSent.test("Cookie"));
    }

    @Override
    public boolean answersCredentialed(RouteConfig route, StoredEntry entry) {
        return Credentials.mayAnswer(route, entry.headers());
    }

    @Override
    public boolean fillsFromPeers() {
        return false;
    }

    @Override
    public Optional<String> notStorableReason(RouteConfig route, OriginResponse response, boolean credentialed) {
        return Credentials.notStorableReason(route, response, credentialed);
    }

    @Override
    public StoredEntry toEntry(
            RouteConfig route, OriginResponse response, String deploy, long nowMillis, long purgeSequence) {
        return HttpCachePolicy.toEntry(route, response, deploy, nowMillis, purgeSequence);
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
