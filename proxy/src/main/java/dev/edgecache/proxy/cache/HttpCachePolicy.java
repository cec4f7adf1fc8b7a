package dev.edgecache.proxy.cache;

import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.http.CacheControl;
import dev.edgecache.common.http.HttpDates;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.origin.OriginResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Storage rules of {@code mode: http} routes, a shared cache as in RFC 9111: what is stored (§3), for how long
 * ({@link Freshness}) and whether a stored response may answer a request with {@code Authorization} (§3.5). The project rules of {@link CachePolicy} still hold:
 * {@code Set-Cookie}, {@code private} and {@code no-store} are never stored. Stateless.
 */
public final class HttpCachePolicy {
    /** Final statuses we store: heuristically cacheable ones (minus 204, 206 and rare errors) and 302/307 when explicit. */
    static final Set<Integer> STORABLE = Set.of(200, 203, 300, 301, 302, 307, 308, 404, 410);

    private HttpCachePolicy() {}

    /**
     * Why {@code response} must not be stored on an http route, or empty when it may be.
     *
     * @param authorized the request carried {@code Authorization} (and was forwarded with it)
     */
    public static Optional<String> notStorableReason(RouteConfig route, OriginResponse response, boolean authorized) {
        if (!CachePolicy.isShareable(response)) return Optional.of("private");
        CacheControl cc = Freshness.directives(response.headers());
        if (cc.isNoStore() || cc.isPrivate()) return Optional.of("no-store or private");
        int s = response.status();
        if (!STORABLE.contains(s)) return Optional.of("status " + s);
        if (Variants.neverMatches(response.headers("Vary"))) return Optional.of("vary *"); // RFC 9111 §4.1
        if (authorized && !allowsAuthorized(response.headers())) return Optional.of("authorization"); // §3.5
        Freshness.Lifetime life = Freshness.of(s, response.headers(), 0);
        boolean validator = response.header("ETag") != null || response.header("Last-Modified") != null;
        if (life.lifetimeMillis() <= life.initialAgeMillis() && life.staleWhileRevalidateMillis() == 0 && !validator) {
            return Optional.of("not fresh and no validator");
        }
        if (!life.explicit() && (s == 302 || s == 307) && !cc.has("public")) return Optional.of("status " + s);
        if (response.body().length > route.maxObjectSize().bytes()) return Optional.of("too large");
        return Optional.empty();
    }

    /** RFC 9111 §3.5: a response to a request with Authorization is shared only when it says so. */
    public static boolean allowsAuthorized(List<Header> headers) {
        CacheControl cc = Freshness.directives(headers);
        CacheControl plain = CacheControl.parse(values(headers, "Cache-Control"));
        return cc.has("public")
                || cc.has("s-maxage")
                || cc.has("must-revalidate")
                || plain.has("public")
                || plain.has("s-maxage")
                || plain.has("must-revalidate");
    }

    /** The entry to store; call only when {@link #notStorableReason} is empty. */
    public static StoredEntry toEntry(OriginResponse response, String deploy, long nowMillis, long purgeSequence) {
        List<Header> headers = withDate(CachePolicy.replayable(response.headers()), nowMillis);
        String etag = CachePolicy.entityTag(response);
        // freshness from the fields as received: Age is not stored, but counts (RFC 9111 §4.2.3)
        Freshness.Lifetime life = Freshness.of(response.status(), withDate(response.headers(), nowMillis), nowMillis);
        return entry(
                life,
                response.status(),
                headers,
                response.body(),
                etag,
                CachePolicy.tags(response),
                deploy,
                nowMillis,
                purgeSequence);
    }

    /**
     * Stored at the edge-clock time its age was zero ({@code now − initial age}), so that {@link
     * StoredEntry#ageSecondsAt} is the current age of §4.2.3 and expiry is that time plus the lifetime.
     */
    private static StoredEntry entry(
            Freshness.Lifetime life,
            int status,
            List<Header> headers,
            byte[] body,
            String etag,
            List<String> tags,
            String deploy,
            long nowMillis,
            long purgeSequence) {
        long storedAt = nowMillis - life.initialAgeMillis();
        long expires = life.noCache() ? Math.min(storedAt, nowMillis) : storedAt + life.lifetimeMillis();
        long staleUntil = expires + life.staleWhileRevalidateMillis();
        return new StoredEntry(status, headers, body, storedAt, expires, staleUntil, etag, tags, deploy, purgeSequence);
    }

    /** RFC 9110 §6.6.1: a cache that receives a response without Date appends one with the time it was received. */
    static List<Header> withDate(List<Header> headers, long nowMillis) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase("Date")) return headers;
        }
        List<Header> out = new ArrayList<>(headers.size() + 1);
        out.addAll(headers);
        out.add(new Header("Date", HttpDates.format(Instant.ofEpochMilli(nowMillis))));
        return out;
    }

    private static List<String> values(List<Header> headers, String name) {
        List<String> out = new ArrayList<>(1);
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) out.add(h.value());
        }
        return out;
    }
}
