package dev.edgecache.proxy.cache;

import dev.edgecache.common.http.CacheControl;
import dev.edgecache.common.http.HttpDates;
import dev.edgecache.common.store.Header;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How long an origin response stays fresh in this shared cache (RFC 9111 §4.2), and what it allows once stale.
 * Plain Java over header values and an edge-clock time, so every rule is a table-driven test. Stateless.
 *
 * <p>Directives come from the first present of {@code CDN-Cache-Control} (RFC 9213 §2.1: when present, this cache
 * ignores {@code Cache-Control} and {@code Expires}), {@code Surrogate-Control} (Edge Architecture 1.0, treated the
 * same way) and {@code Cache-Control}. Lifetime: {@code s-maxage} over {@code max-age} over {@code Expires − Date}
 * (§4.2.1), else a heuristic only for heuristically cacheable statuses or {@code public} (§4.2.2). Age: §4.2.3 with
 * the edge's clock; the edge does not know when it sent the request, so {@code response_delay} is taken as zero.
 */
public final class Freshness {
    /** RFC 9110 §15.1 / RFC 9111 §4.2.2: statuses that may be given a heuristic lifetime. */
    static final Set<Integer> HEURISTICALLY_CACHEABLE =
            Set.of(200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501);
    /** RFC 9111 §4.2.2: "a typical setting of this fraction might be 10%"; capped, as Squid and Varnish do. */
    static final Duration HEURISTIC_CAP = Duration.ofDays(1);

    /**
     * @param initialAgeMillis corrected initial age (§4.2.3): how old the response already was when received
     * @param lifetimeMillis freshness lifetime (§4.2.1); 0 when it is stale at once
     * @param explicit true when the lifetime came from a directive or {@code Expires}, false for heuristic or none
     * @param noCache {@code no-cache}: stored, but revalidated before every use (§5.2.2.4)
     * @param mustRevalidate {@code must-revalidate} or {@code proxy-revalidate}: never served stale (§5.2.2.2, §5.2.2.8)
     * @param staleWhileRevalidateMillis RFC 5861 §3 window after expiry, 0 when absent or forbidden
     * @param staleIfErrorMillis RFC 5861 §4 window after expiry, 0 when absent or forbidden
     */
    public record Lifetime(
            long initialAgeMillis,
            long lifetimeMillis,
            boolean explicit,
            boolean noCache,
            boolean mustRevalidate,
            long staleWhileRevalidateMillis,
            long staleIfErrorMillis) {}

    private Freshness() {}

    /** The directives this cache obeys for {@code headers} (see the class comment for the precedence). */
    public static CacheControl directives(List<Header> headers) {
        for (String field : List.of("CDN-Cache-Control", "Surrogate-Control")) {
            List<String> values = values(headers, field);
            if (!values.isEmpty()) return CacheControl.parse(values);
        }
        return CacheControl.parse(values(headers, "Cache-Control"));
    }

    /** True when the directives come from {@code CDN-Cache-Control} or {@code Surrogate-Control}. */
    static boolean targeted(List<Header> headers) {
        return !values(headers, "CDN-Cache-Control").isEmpty()
                || !values(headers, "Surrogate-Control").isEmpty();
    }

    /** Freshness of a response with {@code status} and {@code headers} received at {@code responseTimeMillis}. */
    public static Lifetime of(int status, List<Header> headers, long responseTimeMillis) {
        CacheControl cc = directives(headers);
        long date = HttpDates.parse(first(headers, "Date"))
                .map(Instant::toEpochMilli)
                .orElse(responseTimeMillis);
        long apparentAge = Math.max(0, responseTimeMillis - date);
        long ageValue = deltaSeconds(first(headers, "Age")).orElse(0) * 1000;
        long initialAge = Math.max(apparentAge, ageValue);

        long lifetime;
        boolean explicit = true;
        OptionalLong maxAge = cc.seconds("s-maxage");
        if (maxAge.isEmpty()) maxAge = cc.seconds("max-age");
        if (cc.hasConflicts()) {
            lifetime = 0; // §4.2.1: conflicting directives make the response stale
        } else if (maxAge.isPresent()) {
            lifetime = maxAge.getAsLong() * 1000;
        } else if (!targeted(headers) && first(headers, "Expires") != null) {
            // §5.3: an invalid Expires (e.g. "0") means already expired
            Optional<Instant> expires = HttpDates.parse(first(headers, "Expires"));
            lifetime = expires.map(e -> Math.max(0, e.toEpochMilli() - date)).orElse(0L);
        } else {
            explicit = false;
            lifetime = heuristic(status, cc, headers, date);
        }
        boolean mustRevalidate = cc.has("must-revalidate") || cc.has("proxy-revalidate");
        boolean noCache =
                cc.has("no-cache"); // a field-qualified no-cache is treated as unqualified (§5.2.2.4 allows it)
        boolean mayServeStale = !mustRevalidate && !noCache;
        long swr = mayServeStale ? cc.seconds("stale-while-revalidate").orElse(0) * 1000 : 0;
        long sie = mayServeStale ? cc.seconds("stale-if-error").orElse(0) * 1000 : 0;
        return new Lifetime(initialAge, lifetime, explicit, noCache, mustRevalidate, swr, sie);
    }

    /** §4.2.2: a fraction of the time since Last-Modified, only where no explicit lifetime exists. */
    private static long heuristic(int status, CacheControl cc, List<Header> headers, long date) {
        if (!HEURISTICALLY_CACHEABLE.contains(status) && !cc.has("public")) return 0;
        Optional<Instant> lastModified = HttpDates.parse(first(headers, "Last-Modified"));
        if (lastModified.isEmpty()) return 0;
        long sinceModified = date - lastModified.get().toEpochMilli();
        if (sinceModified <= 0) return 0;
        return Math.min(sinceModified / 10, HEURISTIC_CAP.toMillis());
    }

    private static OptionalLong deltaSeconds(@Nullable String value) {
        return value == null
                ? OptionalLong.empty()
                : CacheControl.parse("a=" + value.trim()).seconds("a");
    }

    private static @Nullable String first(List<Header> headers, String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) return h.value();
        }
        return null;
    }

    private static List<String> values(List<Header> headers, String name) {
        List<String> out = new ArrayList<>(1);
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name) && !h.value().isBlank()) out.add(h.value());
        }
        return out;
    }
}
