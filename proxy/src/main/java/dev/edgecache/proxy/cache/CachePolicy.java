package dev.edgecache.proxy.cache;

import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.config.RouteMode;
import dev.edgecache.common.http.CacheControl;
import dev.edgecache.common.http.EntityTags;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.origin.OriginResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether an origin response to an anonymous request on a cacheable route is stored, and what is
 * stored. Plain Java with no I/O, so every rule is unit-tested without a channel. Stateless and thread-safe.
 *
 * <p>Stored: 200, 301 and 308 (for the deploy's life on persistent routes, for {@code ttl} on ttl routes), and
 * 404 and 410 for the route's {@code negative-ttl}. Never stored, whatever the route says: a response with
 * {@code Set-Cookie}, {@code Cache-Control: private}, {@code no-store} or {@code no-cache}, a {@code Vary} on
 * anything but {@code Accept-Encoding} (the edge keys on no request header), a partial (206) response, or a
 * body larger than the route's {@code max-object-size}.
 */
public final class CachePolicy {
    private static final int MAX_TAGS = 128;
    private static final int MAX_TAG_LENGTH = 256;
    /**
     * Not replayed from the store: framing and hop-by-hop, our own headers, and cache-internal ones. The origin's
     * {@code ETag} is kept: it records that the stored tag is the origin's own validator ({@link
     * Revalidation#originTag}), and the served {@code ETag} is always set from the entry's tag.
     */
    private static final Set<String> NOT_STORED = Set.of(
            "content-length",
            "age",
            "set-cookie",
            "cache-tag",
            "surrogate-key",
            "surrogate-control",
            "cache-status",
            "via");

    private CachePolicy() {}

    /** Why {@code response} must not be stored, or empty when it may be. */
    public static Optional<String> notStorableReason(RouteConfig route, OriginResponse response) {
        CacheControl cc = CacheControl.parse(response.headers("Cache-Control"));
        if (response.header("Set-Cookie") != null) return Optional.of("set-cookie");
        if (cc.isPrivate()) return Optional.of("private");
        if (cc.isNoStore()) return Optional.of("no-store");
        if (cc.isNoCache()) return Optional.of("no-cache");
        int s = response.status();
        boolean page = s == 200 || s == 301 || s == 308;
        boolean negative = s == 404 || s == 410;
        if (!page && !negative) return Optional.of("status " + s);
        if (negative && route.negativeTtl().isZero()) return Optional.of("negative-ttl is 0");
        for (String vary : response.headers("Vary")) {
            for (String field : vary.split(",")) {
                String f = field.trim();
                if (!f.isEmpty() && !f.equalsIgnoreCase("accept-encoding")) return Optional.of("vary " + f);
            }
        }
        if (response.body().length > route.maxObjectSize().bytes()) return Optional.of("too large");
        return Optional.empty();
    }

    /**
     * False for a response meant for one client: it may be relayed to that client only, never to a collapsed
     * waiter and never stored.
     */
    public static boolean isShareable(OriginResponse response) {
        if (response.header("Set-Cookie") != null) return false;
        CacheControl cc = CacheControl.parse(response.headers("Cache-Control"));
        return !cc.isPrivate() && !cc.isNoStore();
    }

    /** The entry to store; call only when {@link #notStorableReason} is empty. */
    public static StoredEntry toEntry(
            RouteConfig route, OriginResponse response, String deploy, long nowMillis, long purgeSequence) {
        String etag = entityTag(response);
        long[] life = lifetime(route, response.status(), nowMillis);
        List<Header> headers = HttpCachePolicy.withDate(replayable(response.headers()), nowMillis);
        return new StoredEntry(
                response.status(),
                headers,
                response.body(),
                nowMillis,
                life[0],
                life[1],
                etag,
                tags(response),
                deploy,
                purgeSequence);
    }

    /**
     * The tag stored and served with {@code response}: the origin's verbatim, weak or strong, when it sent a valid
     * one (RFC 9110 §8.8.3), else a strong tag of the body hash.
     */
    static String entityTag(OriginResponse response) {
        String originTag = response.header("ETag");
        return originTag != null && EntityTags.isValid(originTag) ? originTag : EntityTags.ofBody(response.body());
    }

    /** {expires, staleUntil} for a response of {@code status} stored now on {@code route}. */
    private static long[] lifetime(RouteConfig route, int status, long nowMillis) {
        if (status == 404 || status == 410) {
            long expires = nowMillis + route.negativeTtl().toMillis();
            return new long[] {expires, expires};
        }
        if (route.mode() == RouteMode.TTL) {
            long expires = nowMillis + Objects.requireNonNull(route.ttl()).toMillis(); // required by mode ttl
            long swr = route.staleWhileRevalidate() == null
                    ? 0
                    : route.staleWhileRevalidate().toMillis();
            return new long[] {expires, expires + swr};
        }
        return new long[] {StoredEntry.NEVER, StoredEntry.NEVER};
    }

    /** End-to-end headers worth replaying: hop-by-hop, framing and cache-internal fields removed. */
    public static List<Header> replayable(List<Header> headers) {
        Set<String> hop = HopByHop.namesIn(headers);
        List<Header> out = new ArrayList<>(headers.size());
        for (Header h : headers) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (!hop.contains(name) && !NOT_STORED.contains(name)) out.add(h);
        }
        return out;
    }

    /** Purge tags: {@code Cache-Tag} is comma-separated, {@code Surrogate-Key} space-separated. */
    static List<String> tags(OriginResponse response) {
        Set<String> tags = new LinkedHashSet<>();
        for (String v : response.headers("Cache-Tag")) addAll(tags, v.split(","));
        for (String v : response.headers("Surrogate-Key")) addAll(tags, v.split("\\s+"));
        return List.copyOf(tags);
    }

    private static void addAll(Set<String> tags, String[] values) {
        for (String v : values) {
            String t = v.trim();
            if (!t.isEmpty() && t.length() <= MAX_TAG_LENGTH && tags.size() < MAX_TAGS) tags.add(t);
        }
    }
}
