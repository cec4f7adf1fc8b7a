package dev.edgecache.proxy.cache;

import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.http.CacheControl;
import dev.edgecache.common.http.HttpDates;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.origin.OriginResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Storage rules of {@code mode: http} routes, a shared cache as in RFC 9111: what is stored (§3), for how long
 * ({@link Freshness}), which fields are kept (§3.1, §5.2.2.4, §5.2.2.7) and whether a stored response may answer a
 * request with {@code Authorization} (§3.5). Stateless.
 *
 * <p>Stored: any final status but 206 and 304 when it has explicit freshness (§3: "has a max-age, s-maxage or
 * Expires"), a heuristically cacheable status (RFC 9110 §15.1) or {@code public}. The directives are those of
 * {@link Freshness#directives}: a valid {@code CDN-Cache-Control} replaces {@code Cache-Control} entirely (RFC 9213
 * §2.1), so {@code CDN-Cache-Control: max-age=60} with {@code Cache-Control: no-store} is stored. The project rule
 * of {@link CachePolicy} still holds: a response with {@code Set-Cookie} is never stored.
 */
public final class HttpCachePolicy {
    /**
     * Final statuses whose requirements this cache understands and meets (RFC 9111 §5.2.2.3 {@code must-understand}):
     * those RFC 9110 defines, except 206 (a partial response is not stored here) and 304 (merged into the stored
     * response it validates, never stored alone).
     */
    static final Set<Integer> UNDERSTOOD = Set.of(
            200, 201, 202, 203, 204, 205, 300, 301, 302, 303, 305, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407,
            408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 421, 422, 426, 500, 501, 502, 503, 504, 505);

    private HttpCachePolicy() {}

    /**
     * Why {@code response} must not be stored on an http route, or empty when it may be. The reason is a token
     * ({@code no-store}, {@code status-599}...), fit for a {@code Cache-Status} {@code detail} (RFC 9211 §2.8).
     *
     * @param authorized the request carried {@code Authorization} (and was forwarded with it)
     */
    public static Optional<String> notStorableReason(RouteConfig route, OriginResponse response, boolean authorized) {
        int s = response.status();
        if (s < 200 || s == 206 || s == 304) return Optional.of("status-" + s); // §3: final, complete responses
        if (response.header("Set-Cookie") != null) return Optional.of("set-cookie"); // DESIGN: never shared
        CacheControl cc = Freshness.directives(response.headers());
        boolean mustUnderstand = cc.has("must-understand");
        if (mustUnderstand && !UNDERSTOOD.contains(s)) return Optional.of("must-understand"); // §5.2.2.3
        // §3: no-store forbids storing, unless must-understand is present and the status is understood
        if (cc.isNoStore() && !mustUnderstand) return Optional.of("no-store");
        if (cc.isPrivate() && cc.fieldNames("private").isEmpty()) return Optional.of("private"); // §5.2.2.7
        if (Variants.neverMatches(response.headers("Vary"))) return Optional.of("vary-star"); // RFC 9111 §4.1
        if (authorized && !allowsAuthorized(response.headers())) return Optional.of("authorization"); // §3.5
        Freshness.Lifetime life = Freshness.of(s, response.headers(), 0, route.heuristicMax());
        if (!life.explicit() && !Freshness.HEURISTICALLY_CACHEABLE.contains(s) && !cc.has("public")) {
            return Optional.of("status-" + s); // §3: nothing says this status may be reused
        }
        boolean validator = response.header("ETag") != null || response.header("Last-Modified") != null;
        if (life.lifetimeMillis() <= life.initialAgeMillis() && life.staleWhileRevalidateMillis() == 0 && !validator) {
            return Optional.of("stale"); // stale on arrival and nothing to revalidate it with
        }
        if (response.body().length > route.maxObjectSize().bytes()) return Optional.of("too-large");
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

    /**
     * The fields a shared cache keeps from no stored response: those named by a qualified {@code private} (§5.2.2.7:
     * "a shared cache MUST NOT store the listed header fields") or {@code no-cache} (§5.2.2.4: reusable "if the
     * listed header fields are excluded from the subsequent response"), lower-cased.
     */
    public static Set<String> withheldFields(List<Header> headers) {
        CacheControl cc = Freshness.directives(headers);
        Set<String> names = new HashSet<>(cc.fieldNames("private"));
        names.addAll(cc.fieldNames("no-cache"));
        return names;
    }

    /** The entry to store with the default heuristic cap; see {@link #toEntry(RouteConfig, OriginResponse, String, long, long)}. */
    public static StoredEntry toEntry(OriginResponse response, String deploy, long nowMillis, long purgeSequence) {
        return toEntry(Freshness.HEURISTIC_CAP, response, deploy, nowMillis, purgeSequence);
    }

    /**
     * The entry to store for {@code route}; call only when {@link #notStorableReason} is empty. Its headers are the
     * response's end-to-end fields without those {@link #withheldFields withheld} (and a {@code Date} when it had
     * none); its freshness is computed from the fields as received, so an {@code Age} it came with counts.
     */
    public static StoredEntry toEntry(
            RouteConfig route, OriginResponse response, String deploy, long nowMillis, long purgeSequence) {
        return toEntry(route.heuristicMax(), response, deploy, nowMillis, purgeSequence);
    }

    private static StoredEntry toEntry(
            Duration heuristicMax, OriginResponse response, String deploy, long nowMillis, long purgeSequence) {
        List<Header> headers = withDate(
                withoutFields(CachePolicy.replayable(response.headers()), withheldFields(response.headers())),
                nowMillis);
        String etag = CachePolicy.entityTag(response);
        // freshness from the fields as received: Age is not stored, but counts (RFC 9111 §4.2.3)
        Freshness.Lifetime life =
                Freshness.of(response.status(), withDate(response.headers(), nowMillis), nowMillis, heuristicMax);
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

    private static List<Header> withoutFields(List<Header> headers, Set<String> withheld) {
        if (withheld.isEmpty()) return headers;
        List<Header> out = new ArrayList<>(headers.size());
        for (Header h : headers) {
            if (!withheld.contains(h.name().toLowerCase(Locale.ROOT))) out.add(h);
        }
        return out;
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
