package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.config.RouteMode;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.origin.OriginResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What an http route stores and for how long (RFC 9111 §3, §3.5, §4.2). */
class HttpCachePolicyTest {
    private static final RouteConfig HTTP = RouteConfig.of("/docs/**", RouteMode.HTTP, null);
    private static final long NOW = 1_767_225_600_000L; // Thu, 01 Jan 2026 00:00:00 GMT

    private static OriginResponse response(int status, String spec) {
        List<Header> h = new ArrayList<>();
        if (spec != null && !spec.isBlank()) {
            for (String field : spec.split(";")) {
                int colon = field.indexOf(':');
                h.add(new Header(
                        field.substring(0, colon).trim(),
                        field.substring(colon + 1).trim()));
            }
        }
        return new OriginResponse(status, h, "body".getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}: {1} {2} → stored {4}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "RFC 9111 §3 explicit max-age                    |200| Cache-Control: max-age=60                 |false| true",
                "RFC 9111 §5.2.2.5 no-store                      |200| Cache-Control: max-age=60, no-store       |false| false",
                "RFC 9111 §5.2.2.7 private                       |200| Cache-Control: private, max-age=60        |false| false",
                "RFC 9213 no-store in CDN-Cache-Control          |200| CDN-Cache-Control: no-store; Cache-Control: max-age=60 |false| false",
                "DESIGN never shared: Set-Cookie                 |200| Cache-Control: max-age=60; Set-Cookie: a=b|false| false",
                "RFC 9111 §5.2.2.4 no-cache is stored (with a validator) |200| Cache-Control: no-cache; ETag: \"v1\" |false| true",
                "nothing to reuse: stale at once, no validator   |200| Cache-Control: max-age=0                  |false| false",
                "stale at once but validatable                   |200| Cache-Control: max-age=0; Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT |false| true",
                "RFC 9111 §4.2.2 heuristically cacheable 404     |404| Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT |false| true",
                "RFC 9111 §3 302 only with explicit freshness    |302| Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT |false| false",
                "RFC 9111 §3 302 with max-age                    |302| Cache-Control: max-age=60                 |false| true",
                "not stored: 500                                 |500| Cache-Control: max-age=60                 |false| false",
                "not stored: 206 (ranges are not stored)         |206| Cache-Control: max-age=60                 |false| false",
                "RFC 9111 §4.1 Vary: * never matches             |200| Cache-Control: max-age=60; Vary: *         |false| false",
                "Vary on a field is stored                       |200| Cache-Control: max-age=60; Vary: Accept-Language |false| true",
                "RFC 9111 §3.5 Authorization: plain max-age      |200| Cache-Control: max-age=60                 |true | false",
                "RFC 9111 §3.5 Authorization: public             |200| Cache-Control: public, max-age=60         |true | true",
                "RFC 9111 §3.5 Authorization: s-maxage           |200| Cache-Control: s-maxage=60                |true | true",
                "RFC 9111 §3.5 Authorization: must-revalidate    |200| Cache-Control: max-age=60, must-revalidate|true | true",
            })
    void storability(String rule, int status, String headers, boolean authorized, boolean stored) {
        assertThat(HttpCachePolicy.notStorableReason(HTTP, response(status, headers), authorized)
                        .isEmpty())
                .as(rule)
                .isEqualTo(stored);
    }

    @Test
    void expiryCountsTheAgeTheResponseAlreadyHad() { // RFC 9111 §4.2.3
        StoredEntry e = HttpCachePolicy.toEntry(response(200, "Cache-Control: max-age=60; Age: 20"), "v1", NOW, 0);
        assertThat(e.storedAtMillis()).isEqualTo(NOW - 20_000);
        assertThat(e.expiresAtMillis()).isEqualTo(NOW + 40_000);
        assertThat(e.ageSecondsAt(NOW + 5_000)).isEqualTo(25);
    }

    @Test
    void staleWhileRevalidateWidensTheStaleWindowAndMustRevalidateClosesIt() { // RFC 5861 §3, RFC 9111 §5.2.2.2
        StoredEntry swr = HttpCachePolicy.toEntry(
                response(200, "Cache-Control: max-age=60, stale-while-revalidate=30"), "v1", NOW, 0);
        assertThat(swr.staleUntilMillis()).isEqualTo(NOW + 90_000);
        StoredEntry strict = HttpCachePolicy.toEntry(
                response(200, "Cache-Control: max-age=60, must-revalidate, stale-while-revalidate=30"), "v1", NOW, 0);
        assertThat(strict.staleUntilMillis()).isEqualTo(NOW + 60_000);
    }

    @Test
    void noCacheEntriesAreNeverFresh() { // RFC 9111 §5.2.2.4
        StoredEntry e = HttpCachePolicy.toEntry(response(200, "Cache-Control: no-cache; ETag: \"v1\""), "v1", NOW, 0);
        assertThat(e.isFreshAt(NOW)).isFalse();
        assertThat(e.isServableStaleAt(NOW)).isFalse();
        assertThat(e.etag()).isEqualTo("\"v1\"");
    }

    @Test
    void aDateIsAddedWhenTheOriginSentNone() { // RFC 9110 §6.6.1
        StoredEntry e = HttpCachePolicy.toEntry(response(200, "Cache-Control: max-age=60"), "v1", NOW, 0);
        assertThat(e.header("Date")).isEqualTo("Thu, 01 Jan 2026 00:00:00 GMT");
    }
}
