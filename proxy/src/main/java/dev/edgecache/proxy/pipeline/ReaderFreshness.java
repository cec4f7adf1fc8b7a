package dev.edgecache.proxy.pipeline;

import dev.edgecache.common.http.CacheControl;
import dev.edgecache.common.store.StoredEntry;

/**
 * How fresh a reader wants a stored response to be, from its request's {@code Cache-Control} (RFC 9111 §5.2.1), on
 * a route that honours it ({@code client-revalidate: honor}). A stored response that falls short is revalidated
 * with the origin (a conditional request; a 304 keeps the body) rather than served. {@code max-stale} is not
 * honoured: a reader cannot make the edge serve a page staler than the origin and the route allow.
 *
 * @param maxAgeSeconds the oldest response the reader takes ({@code max-age}, §5.2.1.1); 0 for {@code no-cache}
 *     (§5.2.1.4) or {@code max-age=0}: validate every time
 * @param minFreshSeconds how long the response must stay fresh ({@code min-fresh}, §5.2.1.3)
 */
record ReaderFreshness(long maxAgeSeconds, long minFreshSeconds) {
    /** No demands: any stored response the edge would serve. */
    static final ReaderFreshness ANY = new ReaderFreshness(Long.MAX_VALUE, 0);

    static ReaderFreshness of(CacheControl cc) {
        if (cc.has("no-cache")) return new ReaderFreshness(0, 0);
        ReaderFreshness f = new ReaderFreshness(
                cc.seconds("max-age").orElse(Long.MAX_VALUE),
                cc.seconds("min-fresh").orElse(0));
        return f.equals(ANY) ? ANY : f;
    }

    /** Whether {@code entry} may be served to this reader without asking the origin. */
    boolean accepts(StoredEntry entry, long nowMillis) {
        if (maxAgeSeconds == 0 || entry.ageSecondsAt(nowMillis) > maxAgeSeconds) return false;
        return minFreshSeconds == 0 || entry.expiresAtMillis() - nowMillis >= minFreshSeconds * 1000L;
    }
}
