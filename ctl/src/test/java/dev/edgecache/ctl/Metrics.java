package dev.edgecache.ctl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Canned {@code GET /metrics} answers from {@code src/test/resources/metrics/}. */
final class Metrics {
    private Metrics() {}

    /**
     * {@code before.txt} and {@code after.txt}: two readings of a made-up edge (routes post, home, login) whose
     * differences are round numbers, so expected rates can be worked out by hand. {@code edge-scrape.txt}: a
     * whole answer of a real edge (this repository's jar), after 5 requests on each of three routes and a purge.
     */
    static String text(String name) {
        try (InputStream in = Metrics.class.getResourceAsStream("/metrics/" + name)) {
            if (in == null) throw new IllegalArgumentException("no test resource /metrics/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
