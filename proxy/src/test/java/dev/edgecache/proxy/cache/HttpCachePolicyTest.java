package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.config.RouteMode;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.common.testing.TestRoutes;
import dev.edgecache.proxy.origin.OriginResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
                "RFC 9111 §3 any final status with max-age: 500  |500| Cache-Control: max-age=60                 |false| true",
                "RFC 9111 §3 any final status with max-age: 599  |599| Cache-Control: max-age=60                 |false| true",
                "RFC 9111 §3 any final status with Expires: 400  |400| Date: Thu, 01 Jan 2026 00:00:00 GMT; Expires: Thu, 01 Jan 2026 01:00:00 GMT |false| true",
                "RFC 9111 §3 303 with s-maxage                   |303| Cache-Control: s-maxage=60                |false| true",
                "RFC 9111 §3 500 without explicit freshness      |500| ETag: \"v1\"                              |false| false",
                "RFC 9111 §3 201 with Last-Modified only         |201| Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT |false| false",
                "RFC 9111 §3 403 with Last-Modified only         |403| Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT |false| false",
                "RFC 9111 §3 599 with Last-Modified only         |599| Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT |false| false",
                "RFC 9111 §4.2.2 599 with public and Last-Modified |599| Cache-Control: public; Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT |false| true",
                "RFC 9110 §15.1 204 with Last-Modified only      |204| Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT |false| true",
                "RFC 9110 §15.1 405 with Last-Modified only      |405| Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT |false| true",
                "RFC 9110 §15.1 414 with Last-Modified only      |414| Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT |false| true",
                "RFC 9110 §15.1 501 with Last-Modified only      |501| Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT |false| true",
                "RFC 9110 §15.2 an interim 103 is never stored   |103| Cache-Control: max-age=60                 |false| false",
                "RFC 9111 §3 a 304 is never stored alone         |304| Cache-Control: max-age=60                 |false| false",
                "RFC 9111 §5.2.2.3 must-understand, unknown status |599| Cache-Control: max-age=3600, no-store, must-understand |false| false",
                "RFC 9111 §5.2.2.3 must-understand, known status overrides no-store |200| Cache-Control: max-age=3600, no-store, must-understand |false| true",
                "RFC 9111 §5.2.2.3 must-understand alone, known status |404| Cache-Control: max-age=3600, must-understand |false| true",
                "RFC 9111 §5.2.2.5 no-store, any case            |200| Cache-Control: nO-StOrE, max-age=60       |false| false",
                "RFC 9111 §5.2.2.7 private with field names is stored |200| Cache-Control: max-age=60, private=\"X-User\"; X-User: ann |false| true",
                "RFC 9111 §5.2.2.4 no-cache with field names is stored |200| Cache-Control: no-cache=\"a\"; Cache-Control: max-age=3600; a: 1 |false| true",
                "RFC 9213 §2.1 CDN max-age over CC no-store      |200| Cache-Control: no-store; CDN-Cache-Control: max-age=10000 |false| true",
                "RFC 9213 §2.1 CDN max-age over CC private       |200| Cache-Control: private; CDN-Cache-Control: max-age=10000 |false| true",
                "RFC 9213 §2.1 CDN private over CC max-age       |200| CDN-Cache-Control: private; Cache-Control: max-age=10000 |false| false",
                "RFC 9213 §2.2 invalid CDN field: CC no-store holds |200| CDN-Cache-Control: max-age=10000, &&&&&; Cache-Control: no-store |false| false",
                "RFC 9213 §2.2 wrong-type CDN field: CC no-store holds |200| CDN-Cache-Control: max-age=\"10000\"; Cache-Control: no-store |false| false",
                "RFC 9213 §2.2 CDN no-store=?0 is no no-store    |200| CDN-Cache-Control: no-store=?0, max-age=60 |false| true",
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

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "RFC 9111 §5.2.2.4 no-cache=\"a\" omits a   | Cache-Control: no-cache=\"a\"; Cache-Control: max-age=3600; a: 1; b: 2 | b | a",
                "RFC 9111 §5.2.2.4 no-cache=\"a, b\" omits both | Cache-Control: no-cache=\"a, b\", max-age=3600; A: 1; b: 2; c: 3 | c | a b",
                "RFC 9111 §5.2.2.7 private=\"X-User\" omits it | Cache-Control: max-age=60, private=\"x-user\"; X-User: ann; X-Page: p | X-Page | X-User",
                "RFC 9213 §2.2 CDN private=\"X-User\" omits it | CDN-Cache-Control: max-age=60, private=\"X-User\"; X-User: ann; X-Page: p | X-Page | X-User",
                "RFC 9111 §3.1 Connection-listed fields are not stored | Cache-Control: max-age=60; Connection: a, b; a: 1; b: 2; c: 3 | c | a b",
            })
    void listedFieldsAreNotStored(String rule, String headers, String kept, String omitted) {
        StoredEntry e = HttpCachePolicy.toEntry(HTTP, response(200, headers), "v1", NOW, 0);
        for (String k : kept.split(" "))
            assertThat(e.header(k)).as(rule + ": kept " + k).isNotNull();
        for (String o : omitted.split(" "))
            assertThat(e.header(o)).as(rule + ": omitted " + o).isNull();
        assertThat(e.isFreshAt(NOW + 1000))
                .as(rule + ": reusable without revalidation")
                .isTrue();
    }

    @Test
    void cdnNoCacheIsStoredButNeverFresh() { // RFC 9213 §2.1 with RFC 9111 §5.2.2.4 (cdn-no-cache)
        OriginResponse r = response(
                200,
                "CDN-Cache-Control: no-cache; Cache-Control: max-age=10000; ETag: \"v1\"; "
                        + "Expires: Thu, 01 Jan 2026 03:00:00 GMT; Date: Thu, 01 Jan 2026 00:00:00 GMT");
        assertThat(HttpCachePolicy.notStorableReason(HTTP, r, false)).isEmpty();
        assertThat(HttpCachePolicy.toEntry(HTTP, r, "v1", NOW, 0).isFreshAt(NOW))
                .isFalse();
    }

    @Test
    void theHeuristicCapIsTheRoutes() { // RFC 9111 §4.2.2, routes[].heuristic-max
        RouteConfig capped = TestRoutes.route("/**", RouteMode.HTTP)
                .heuristicMax(Duration.ofSeconds(30))
                .build();
        OriginResponse r =
                response(200, "Date: Thu, 01 Jan 2026 00:00:00 GMT; Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpCachePolicy.toEntry(capped, r, "v1", NOW, 0).expiresAtMillis())
                .isEqualTo(NOW + 30_000);
        assertThat(HttpCachePolicy.toEntry(HTTP, r, "v1", NOW, 0).expiresAtMillis())
                .isEqualTo(NOW + Duration.ofDays(1).toMillis());
    }

    @ParameterizedTest(name = "{0}: {1} {2} → {3}")
    @CsvSource(
            delimiter = '|',
            value = { // the reason is a Cache-Status detail token (RFC 9211 §2.8)
                "RFC 9111 §5.2.2.5 |200| Cache-Control: no-store, max-age=60            | no-store",
                "RFC 9111 §5.2.2.7 |200| Cache-Control: private, max-age=60             | private",
                "DESIGN never shared |200| Cache-Control: max-age=60; Set-Cookie: a=b  | set-cookie",
                "RFC 9111 §5.2.2.3 |599| Cache-Control: max-age=60, no-store, must-understand | must-understand",
                "RFC 9111 §3       |599| Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT  | status-599",
                "RFC 9111 §4.1     |200| Cache-Control: max-age=60; Vary: Origin, *     | vary-star",
                "RFC 9111 §4.2.3   |200| Cache-Control: max-age=60; Age: 7200           | stale",
            })
    void theReasonNamesTheRule(String rule, int status, String headers, String reason) {
        assertThat(HttpCachePolicy.notStorableReason(HTTP, response(status, headers), false))
                .as(rule)
                .contains(reason);
    }

    @Test
    void aDateIsAddedWhenTheOriginSentNone() { // RFC 9110 §6.6.1
        StoredEntry e = HttpCachePolicy.toEntry(response(200, "Cache-Control: max-age=60"), "v1", NOW, 0);
        assertThat(e.header("Date")).isEqualTo("Thu, 01 Jan 2026 00:00:00 GMT");
    }
}
