package dev.edgecache.bench;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Benchmark data: stored pages shaped like what the edge keeps for a static origin (nginx) answer, with an
 * HTML-like body that compresses about as well as real markup (it matters for RocksDB's LZ4).
 */
final class Pages {
    static final String DEPLOY = "bench";
    /** The end-to-end headers nginx sends for a static file, as the edge stores them (framing fields removed). */
    static final List<Header> ORIGIN_HEADERS = List.of(
            new Header("Server", "nginx"),
            new Header("Date", "Thu, 27 Nov 2026 20:00:00 GMT"),
            new Header("Content-Type", "text/html"),
            new Header("Last-Modified", "Thu, 27 Nov 2026 19:00:00 GMT"),
            new Header("Cache-Control", "public, max-age=3600"),
            new Header("Accept-Ranges", "bytes"));

    private static final String[] WORDS = {
        "<p>", "</p>", "<a href=\"/alice/posts\">", "</a>", "edge", "cache", "the", "of", "page", "render",
        "deploy", "purge", "<div class=\"post\">", "</div>", "origin", "reader", "latency", "\n", "and", "a",
    };

    private Pages() {}

    /** A deterministic HTML-like body of exactly {@code size} bytes. */
    static byte[] body(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder text = new StringBuilder(size + 32);
        while (text.length() < size)
            text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    /** A persistent (never expiring) 200 page with the origin's headers and a strong ETag. */
    static StoredEntry entry(int size, long seed) {
        return new StoredEntry(
                200,
                ORIGIN_HEADERS,
                body(size, seed),
                1_800_000_000_000L,
                StoredEntry.NEVER,
                StoredEntry.NEVER,
                "\"69289c00-" + Integer.toHexString(size) + "\"",
                List.of(),
                DEPLOY,
                0);
    }

    static EntryKey key(String target) {
        return new EntryKey(DEPLOY, CacheKey.fromRequestTarget(target));
    }
}
