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
 * <p>Directives come from the first valid, non-empty targeted field: {@code CDN-Cache-Control} (RFC 9213 §2.1: a
 * Structured Field; when it is valid this cache ignores {@code Cache-Control} and {@code Expires}, when it is not it
 * is ignored itself), then {@code Surrogate-Control} (Edge Architecture 1.0, read like {@code Cache-Control}), else
 * {@code Cache-Control}. Lifetime: {@code s-maxage} over {@code max-age} over {@code Expires − Date} (§4.2.1), else a
 * heuristic only for heuristically cacheable statuses or {@code public} (§4.2.2). Invalid freshness information (a
 * {@code max-age} that is no delta-seconds, two different values of one directive, two different {@code Expires},
 * an {@code Expires} that is no HTTP-date) makes the response stale (§4.2.1, §5.3). Age: §4.2.3 with the edge's
 * clock; the edge does not know when it sent the request, so {@code response_delay} is taken as zero.
 */
public final class Freshness {
    /** RFC 9110 §15.1 / RFC 9111 §4.2.2: statuses that may be given a heuristic lifetime. */
    static final Set<Integer> HEURISTICALLY_CACHEABLE =
            Set.of(200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501);
    /** RFC 9111 §4.2.2: "a typical setting of this fraction might be 10%". */
    static final int HEURISTIC_PERCENT = 10;
    /** Default cap of a heuristic lifetime, as Squid and Varnish cap theirs ({@code routes[].heuristic-max}). */
    public static final Duration HEURISTIC_CAP = Duration.ofDays(1);
    /** RFC 9111 §5.1: an Age (or an age calculation) beyond what can be represented is sent as 2^31. */
    static final long MAX_AGE_SECONDS = 2_147_483_648L;

    /**
     * @param initialAgeMillis corrected initial age (§4.2.3): how old the response already was when received
     * @param lifetimeMillis freshness lifetime (§4.2.1); 0 when it is stale at once
     * @param explicit true when the lifetime came from a directive or {@code Expires}, false for heuristic or none
     * @param noCache {@code no-cache} without field names: stored, but revalidated before every use (§5.2.2.4)
     * @param mustRevalidate {@code must-revalidate}, {@code proxy-revalidate} or {@code s-maxage}: never served stale
     *     (§5.2.2.2, §5.2.2.8, §5.2.2.10)
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
        return targetedDirectives(headers).orElseGet(() -> CacheControl.parse(values(headers, "Cache-Control")));
    }

    /** The directives of the first valid targeted field, or empty when {@code Cache-Control} applies. */
    static Optional<CacheControl> targetedDirectives(List<Header> headers) {
        List<String> cdn = values(headers, "CDN-Cache-Control");
        if (!cdn.isEmpty()) {
            Optional<CacheControl> parsed = CacheControl.parseTargeted(cdn);
            if (parsed.isPresent()) return parsed; // RFC 9213 §2.2: an invalid targeted field is ignored
        }
        List<String> surrogate = values(headers, "Surrogate-Control");
        return surrogate.isEmpty() ? Optional.empty() : Optional.of(CacheControl.parse(surrogate));
    }

    /** True when the directives come from {@code CDN-Cache-Control} or {@code Surrogate-Control}. */
    static boolean targeted(List<Header> headers) {
        return targetedDirectives(headers).isPresent();
    }

    /** Freshness with the default heuristic cap ({@link #HEURISTIC_CAP}). */
    public static Lifetime of(int status, List<Header> headers, long responseTimeMillis) {
        return of(status, headers, responseTimeMillis, HEURISTIC_CAP);
    }

    /**
     * Freshness of a response with {@code status} and {@code headers} received at {@code responseTimeMillis}.
     *
     * @param heuristicCap the longest heuristic lifetime (§4.2.2); zero gives none
     */
    public static Lifetime of(int status, List<Header> headers, long responseTimeMillis, Duration heuristicCap) {
        Optional<CacheControl> targeted = targetedDirectives(headers);
        CacheControl cc = targeted.orElseGet(() -> CacheControl.parse(values(headers, "Cache-Control")));
        long date = HttpDates.parse(first(headers, "Date"))
                .map(Instant::toEpochMilli)
                .orElse(responseTimeMillis);
        long apparentAge = Math.max(0, responseTimeMillis - date);
        long ageValue = ageSeconds(first(headers, "Age")).orElse(0) * 1000;
        long initialAge = Math.max(apparentAge, ageValue);

        long lifetime;
        boolean explicit = true;
        String maxAge = cc.has("s-maxage") ? "s-maxage" : cc.has("max-age") ? "max-age" : null;
        if (cc.hasConflicts()) {
            lifetime = 0; // §4.2.1: conflicting directives make the response stale
        } else if (maxAge != null) {
            lifetime = cc.seconds(maxAge).orElse(0) * 1000; // §4.2.1: invalid freshness information is stale
        } else if (targeted.isEmpty() && first(headers, "Expires") != null) {
            lifetime = expires(headers)
                    .map(e -> Math.max(0, e.toEpochMilli() - date))
                    .orElse(0L);
        } else {
            explicit = false;
            lifetime = heuristic(status, cc, headers, date, heuristicCap);
        }
        // §5.2.2.10: s-maxage "incorporates the semantics of proxy-revalidate" for a shared cache
        boolean mustRevalidate = cc.has("must-revalidate") || cc.has("proxy-revalidate") || cc.has("s-maxage");
        boolean noCache = cc.isNoCache(); // with field names it only withholds those fields (§5.2.2.4)
        boolean mayServeStale = !mustRevalidate && !noCache;
        long swr = mayServeStale ? cc.seconds("stale-while-revalidate").orElse(0) * 1000 : 0;
        long sie = mayServeStale ? cc.seconds("stale-if-error").orElse(0) * 1000 : 0;
        return new Lifetime(initialAge, lifetime, explicit, noCache, mustRevalidate, swr, sie);
    }

    /**
     * {@code Expires} as an instant, or empty when it is invalid (§5.3: "a cache recipient MUST interpret invalid
     * date formats, especially the value "0", as representing a time in the past"), including two field lines that
     * disagree, which make one invalid list value.
     */
    static Optional<Instant> expires(List<Header> headers) {
        List<String> lines = new ArrayList<>(1);
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase("Expires")) lines.add(h.value().strip());
        }
        if (lines.isEmpty() || lines.stream().distinct().count() > 1) return Optional.empty();
        return HttpDates.parse(lines.get(0));
    }

    /**
     * The {@code Age} field value (§5.1) in seconds: the first field line's first member when it is a
     * non-negative integer (empty otherwise: "7200.0", "-1", "abc" are ignored), at most 2^31.
     */
    static OptionalLong ageSeconds(@Nullable String value) {
        if (value == null) return OptionalLong.empty();
        int comma = value.indexOf(',');
        String v = (comma < 0 ? value : value.substring(0, comma)).strip();
        if (v.isEmpty()) return OptionalLong.empty();
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') return OptionalLong.empty();
        }
        if (v.length() > 12) return OptionalLong.of(MAX_AGE_SECONDS);
        return OptionalLong.of(Math.min(Long.parseLong(v), MAX_AGE_SECONDS));
    }

    /** §4.2.2: a fraction of the time since Last-Modified, only where no explicit lifetime exists. */
    private static long heuristic(int status, CacheControl cc, List<Header> headers, long date, Duration cap) {
        if (!HEURISTICALLY_CACHEABLE.contains(status) && !cc.has("public")) return 0;
        Optional<Instant> lastModified = HttpDates.parse(first(headers, "Last-Modified"));
        if (lastModified.isEmpty()) return 0;
        long sinceModified = date - lastModified.get().toEpochMilli();
        if (sinceModified <= 0) return 0;
        return Math.min(sinceModified / 100 * HEURISTIC_PERCENT, cap.toMillis());
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
