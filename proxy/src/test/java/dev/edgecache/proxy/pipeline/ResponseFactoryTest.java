package dev.edgecache.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.config.RouteMode;
import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.route.RoutePattern;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.cache.Route;
import dev.edgecache.proxy.metrics.Outcome;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The 304 the edge answers from its store (RFC 9110 §15.4.5). */
class ResponseFactoryTest {
    private static final Route ROUTE =
            new Route(0, RouteConfig.of("/**", RouteMode.PERSISTENT, null), RoutePattern.parse("/**"));
    private static final long NOW = 1_767_225_600_000L; // Thu, 01 Jan 2026 00:00:00 GMT

    private static FullHttpResponse notModified(List<Header> headers) {
        return answer(headers, "\"v1\"", null);
    }

    private static FullHttpResponse answer(
            List<Header> headers, @Nullable String ifNoneMatch, @Nullable String ifModifiedSince) {
        StoredEntry e = new StoredEntry(
                200,
                headers,
                "hello".getBytes(StandardCharsets.UTF_8),
                NOW,
                StoredEntry.NEVER,
                StoredEntry.NEVER,
                "\"v1\"",
                List.of(),
                "v1",
                0);
        ClientRequest req = new ClientRequest(
                "GET",
                CacheKey.fromRequestTarget("/a"),
                ROUTE,
                ifNoneMatch,
                ifModifiedSince,
                0,
                false,
                ReaderFreshness.ANY,
                false,
                null,
                null,
                null,
                null,
                null);
        FullHttpResponse r = ResponseFactory.fromEntry(e, req, NOW + 5_000, Outcome.HIT_MEMORY);
        if (ifNoneMatch != null) {
            assertThat(r.status().code()).isEqualTo(304);
            assertThat(r.content().readableBytes()).isZero();
        }
        return r;
    }

    @ParameterizedTest(name = "stored {0}, If-Modified-Since {1} → {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Last-Modified: Mon, 01 Dec 2025 00:00:00 GMT | Tue, 02 Dec 2025 00:00:00 GMT | 304",
                "Last-Modified: Wed, 03 Dec 2025 00:00:00 GMT | Tue, 02 Dec 2025 00:00:00 GMT | 200",
                "Date: Mon, 01 Dec 2025 00:00:00 GMT          | Tue, 02 Dec 2025 00:00:00 GMT | 304",
                "Date: Wed, 03 Dec 2025 00:00:00 GMT          | Tue, 02 Dec 2025 00:00:00 GMT | 200",
                "-                                            | Fri, 02 Jan 2026 00:00:00 GMT | 304",
                "-                                            | Wed, 31 Dec 2025 00:00:00 GMT | 200",
            },
            nullValues = "-")
    void ifModifiedSinceFallsBackToTheStoredDateThenTheTimeItWasStored( // RFC 9111 §4.3.2
            String stored, String since, int expected) {
        List<Header> headers = stored == null
                ? List.of()
                : List.of(new Header(
                        stored.substring(0, stored.indexOf(':')), stored.substring(stored.indexOf(':') + 2)));
        FullHttpResponse r = answer(headers, null, since);
        try {
            assertThat(r.status().code()).isEqualTo(expected);
        } finally {
            r.release();
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Cache-Control   | max-age=60                    | true",
                "Content-Location| /a.html                       | true",
                "Date            | Wed, 31 Dec 2025 23:00:00 GMT | true",
                "Expires         | Thu, 01 Jan 2026 01:00:00 GMT | true",
                "Vary            | Accept-Language               | true",
                "Content-Type    | text/html                     | false",
                "Content-Language| en                            | false",
            })
    void aNotModifiedCarriesTheFieldsA200WouldHaveSentThatGuideCaches(String name, String value, boolean kept) {
        FullHttpResponse r = notModified(List.of(new Header(name, value)));
        try {
            assertThat(r.headers().get(name)).isEqualTo(kept ? value : null);
            assertThat(r.headers().get("ETag")).isEqualTo("\"v1\"");
            assertThat(r.headers().get("Age")).isEqualTo("5");
        } finally {
            r.release();
        }
    }

    @ParameterizedTest(name = "stored Date {0}")
    @CsvSource(
            delimiter = '|',
            value = {"-|Thu, 01 Jan 2026 00:00:05 GMT", "Mon, 01 Dec 2025 00:00:00 GMT|Mon, 01 Dec 2025 00:00:00 GMT"},
            nullValues = "-")
    void aNotModifiedAlwaysHasADate(String stored, String expected) { // RFC 9110 §15.4.5, §6.6.1
        FullHttpResponse r = notModified(stored == null ? List.of() : List.of(new Header("Date", stored)));
        try {
            assertThat(r.headers().getAll("Date")).containsExactly(expected);
        } finally {
            r.release();
        }
    }
}
