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

    /** Prose vocabulary for {@link #blogPost}: common English words, so the text compresses like real posts. */
    private static final String[] PROSE =
            ("the of and to a in is it you that he was for on are with as I his they be at"
                            + " one have this from or had by hot word but what some we can out other were all there when up"
                            + " use your how said an each she which do their time if will way about many then them write"
                            + " would like so these her long make thing see him two has look more day could go come did"
                            + " number sound no most people my over know water than call first who may down side been now"
                            + " find cache edge origin deploy render page reader latency request response header purge store"
                            + " memory disk server client browser network second minute build release version config route"
                            + " static dynamic content template markdown feed author post comment draft publish update"
                            + " because however although while before after during since until unless whether through")
                    .split(" ");

    private static final String[] SLUGS = {
        "why-we-cache-at-the-edge", "a-week-with-rocksdb", "notes-on-http-caching", "purging-by-tag",
        "deploys-without-downtime", "my-first-post", "reading-rfc-9111", "benchmarks-on-a-small-vm",
    };

    private Pages() {}

    /**
     * A deterministic blog post of exactly {@code size} bytes, shaped like the origin's {@code layout.jte} and
     * {@code post.jte}: a head, a nav, then paragraphs of English-like prose with links, inline code, headings,
     * lists and code blocks. Compresses like real markup (gzip -9 to roughly a quarter to a third).
     */
    static byte[] blogPost(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String head = """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Notes on caching at the edge &middot; Edge blog</title>
                <link rel="stylesheet" href="/assets/site.css">
                <link rel="alternate" type="application/atom+xml" href="/alice/feed.xml">
                <script src="/assets/me.js" defer></script>
                </head>
                <body>
                <header class="site"><a class="brand" href="/">Edge blog</a><nav id="me" aria-live="polite"></nav></header>
                <main>
                <article>
                <h1>Notes on caching at the edge</h1>
                <p class="meta">by <a href="/alice">alice</a> &middot; <time>2026-11-27</time></p>
                <div class="body">
                """;
        String tail = "</div>\n</article>\n</main>\n<footer class=\"site\">Served by the Edge origin.</footer>\n"
                + "</body>\n</html>\n";
        StringBuilder html = new StringBuilder(size + 512).append(head);
        while (html.length() < size - tail.length()) {
            int block = random.nextInt(10);
            if (block == 0) {
                html.append("<h2>")
                        .append(sentence(random, 3 + random.nextInt(5)))
                        .append("</h2>\n");
            } else if (block == 1) {
                html.append("<ul>\n");
                for (int i = 2 + random.nextInt(4); i > 0; i--)
                    html.append("<li>")
                            .append(sentence(random, 5 + random.nextInt(10)))
                            .append("</li>\n");
                html.append("</ul>\n");
            } else if (block == 2) {
                html.append("<pre><code class=\"language-java\">");
                for (int i = 2 + random.nextInt(6); i > 0; i--) {
                    html.append("var ")
                            .append(word(random))
                            .append(" = store.get(key, ")
                            .append(random.nextInt(10_000))
                            .append(");\n");
                }
                html.append("</code></pre>\n");
            } else {
                html.append("<p>");
                for (int i = 2 + random.nextInt(5); i > 0; i--) {
                    html.append(sentence(random, 6 + random.nextInt(18)));
                    int extra = random.nextInt(6);
                    if (extra == 0) {
                        html.append(" See <a href=\"/alice/")
                                .append(SLUGS[random.nextInt(SLUGS.length)])
                                .append("\">")
                                .append(sentence(random, 2 + random.nextInt(3)))
                                .append("</a>.");
                    } else if (extra == 1) {
                        html.append(" Use <code>").append(word(random)).append("()</code> here.");
                    }
                    html.append(' ');
                }
                html.append("</p>\n");
            }
        }
        html.setLength(size - tail.length());
        return html.append(tail).toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String word(SplittableRandom random) {
        // skewed towards the first (most common) words, as in prose
        return PROSE[(int) (PROSE.length * Math.pow(random.nextDouble(), 2.5))];
    }

    private static String sentence(SplittableRandom random, int words) {
        StringBuilder s = new StringBuilder(words * 6);
        String first = word(random);
        s.append(Character.toUpperCase(first.charAt(0))).append(first, 1, first.length());
        for (int i = 1; i < words; i++) s.append(' ').append(word(random));
        return s.append('.').toString();
    }

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
