package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.origin.OriginRequest;
import dev.edgecache.proxy.origin.OriginResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Validation with the origin (RFC 9111 §4.3). */
class RevalidationTest {
    private static final StoredEntry STORED = new StoredEntry(
            200,
            List.of(
                    new Header("Content-Type", "text/html"), new Header("Cache-Control", "max-age=60"),
                    new Header("Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"), new Header("Date", "old")),
            "body".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            0,
            60_000,
            60_000,
            "\"v1\"",
            List.of("t1"),
            "v1",
            0);

    @Test
    void theRequestCarriesTheStoredValidators() { // RFC 9111 §4.3.1
        OriginRequest r = Revalidation.conditional(
                new OriginRequest("GET", "/a", List.of(new Header("If-None-Match", "\"client\"")), new byte[0]),
                STORED);
        assertThat(r.headers())
                .containsExactly(
                        new Header("If-None-Match", "\"v1\""),
                        new Header("If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"));
    }

    @Test
    void a304UpdatesStoredFieldsButKeepsBodyStatusLengthAndTag() { // RFC 9111 §3.2, §4.3.4
        OriginResponse merged = Revalidation.merge(
                STORED,
                new OriginResponse(
                        304,
                        List.of(
                                new Header("Cache-Control", "max-age=120"),
                                new Header("Date", "new"),
                                new Header("Content-Length", "0"),
                                new Header("ETag", "W/\"weak\""),
                                new Header("Connection", "close")),
                        new byte[0]));
        assertThat(merged.status()).isEqualTo(200);
        assertThat(new String(merged.body(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("body");
        assertThat(merged.headers("Cache-Control")).containsExactly("max-age=120");
        assertThat(merged.headers("Date")).containsExactly("new");
        assertThat(merged.headers("Content-Type")).containsExactly("text/html");
        assertThat(merged.headers("Content-Length")).isEmpty();
        assertThat(merged.headers("Connection")).isEmpty();
        assertThat(merged.headers("ETag")).containsExactly("\"v1\"");
        assertThat(merged.headers("Cache-Tag")).containsExactly("t1");
    }
}
