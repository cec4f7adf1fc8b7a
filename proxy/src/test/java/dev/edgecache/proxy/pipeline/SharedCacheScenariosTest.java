package dev.edgecache.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.config.RouteMode;
import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.cache.HttpCachePolicy;
import dev.edgecache.proxy.cache.RouteTable;
import dev.edgecache.proxy.metrics.Outcome;
import dev.edgecache.proxy.origin.OriginResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An http route as a shared cache, one scenario a row: the origin's answer to a GET at {@link #T0} → whether it is
 * stored → what a GET {@code later} seconds after gets from the store (fresh or not, its {@code Age}, its fields).
 * The rows follow the http-cache-tests suite's required cases for RFC 9111 §3 (storing), §4.2 (freshness), §5.1
 * (Age), §5.2.2 (directives), §5.3 (Expires) and RFC 9213 (CDN-Cache-Control), each naming its section.
 */
class SharedCacheScenariosTest {
    private static final RouteConfig HTTP = RouteConfig.of("/**", RouteMode.HTTP, null);
    /** 2026-01-01T00:00:00Z. */
    private static final long T0 = 1_767_225_600_000L;

    private static final String D0 = "Thu, 01 Jan 2026 00:00:00 GMT";
    private static final String D_MINUS_10 = "Wed, 31 Dec 2025 23:59:50 GMT";
    private static final String D_PLUS_10 = "Thu, 01 Jan 2026 00:00:10 GMT";
    private static final String D_PLUS_20 = "Thu, 01 Jan 2026 00:00:20 GMT";
    private static final String D_PLUS_30D = "Sat, 31 Jan 2026 00:00:00 GMT";
    private static final String D_MINUS_1000 = "Wed, 31 Dec 2025 23:43:20 GMT";

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                // rule | status | origin fields (; between) | later s | stored | fresh then | Age | present (& between)
                // | absent
                "RFC 9111 §5.1 an answer from the store has an Age     |200| Cache-Control: max-age=100000; Date: " + D0
                        + " | 3 | true | true | 3 | Date=" + D0 + " | -",
                "RFC 9111 §4.2.3 the origin's Age counts (max-age)      |200| Cache-Control: max-age=100000; Date: "
                        + D0 + "; Age: 30 | 3 | true | true | 33 | - | -",
                "RFC 9111 §4.2.3 the origin's Age counts (Expires)      |200| Expires: " + D_PLUS_30D + "; Date: " + D0
                        + "; Age: 30 | 3 | true | true | 33 | Expires=" + D_PLUS_30D + " | -",
                "RFC 9111 §4.2.3 Age over max-age: not reused           |200| Cache-Control: max-age=3600; Date: " + D0
                        + "; Age: 7200 | 1 | false | false | - | - | -",
                "RFC 9111 §4.2.3 Age over Expires − Date, slow Date     |200| Date: " + D_MINUS_10 + "; Expires: "
                        + D_PLUS_10 + "; Age: 25 | 0 | false | false | - | - | -",
                "RFC 9111 §4.2.3 Age over Expires − Date, fast Date     |200| Date: " + D_PLUS_10 + "; Expires: "
                        + D_PLUS_20 + "; Age: 15 | 0 | false | false | - | - | -",
                "RFC 9111 §5.1 Age list: the first member, 0            |200| Cache-Control: max-age=3600; Date: " + D0
                        + "; Age: 0, 7200 | 1 | true | true | 1 | - | -",
                "RFC 9111 §5.1 Age list: the first member, old          |200| Cache-Control: max-age=3600; Date: " + D0
                        + "; Age: 7200, 0 | 1 | false | false | - | - | -",
                "RFC 9111 §5.1 an Age of 2^31 is stale                  |200| Cache-Control: max-age=3600; Date: " + D0
                        + "; Age: 2147483648 | 1 | false | false | - | - | -",
                "RFC 9111 §4.2.1 max-age: stale once it passes          |200| Cache-Control: max-age=2; Date: " + D0
                        + "; ETag: \"e\" | 3 | true | false | 3 | - | -",
                "RFC 9111 §5.3 invalid Expires is already expired       |200| Expires: 0; Date: " + D0
                        + " | 1 | false | false | - | - | -",
                "RFC 9111 §5.3 Expires in RFC 850 form                  |200| Expires: Saturday, 31-Jan-26 00:00:00 GMT; Date: "
                        + D0 + " | 5 | true | true | 5 | - | -",
                "RFC 9111 §5.3 Expires in asctime form                  |200| Expires: Sat Jan 31 00:00:00 2026; Date: "
                        + D0 + " | 5 | true | true | 5 | - | -",
                "RFC 9111 §4.2.2 heuristic 404: fresh within 10%        |404| Last-Modified: " + D_MINUS_1000
                        + "; Date: " + D0 + " | 50 | true | true | 50 | - | -",
                "RFC 9111 §4.2.2 heuristic 404: stale past 10%          |404| Last-Modified: " + D_MINUS_1000
                        + "; Date: " + D0 + " | 150 | true | false | 150 | - | -",
                "RFC 9111 §3 599 with max-age is reused                 |599| Cache-Control: max-age=3600; Date: " + D0
                        + " | 1 | true | true | 1 | - | -",
                "RFC 9111 §5.2.2.3 must-understand: unknown 599         |599| Cache-Control: max-age=3600, no-store, must-understand | 1 | false | false | - | - | -",
                "RFC 9111 §5.2.2.3 must-understand: known 200           |200| Cache-Control: max-age=3600, no-store, must-understand | 1 | true | true | 1 | - | -",
                "RFC 9110 §8.6 a stored 204 has no Content-Length       |204| Cache-Control: max-age=60; Date: " + D0
                        + " | 1 | true | true | 1 | - | Content-Length",
                "RFC 9111 §5.2.2.4 no-cache=\"a\": a is withheld        |200| Cache-Control: no-cache=\"a\"; a: 1; b: 2; Cache-Control: max-age=3600; Date: "
                        + D0 + " | 1 | true | true | 1 | b=2 | a",
                "RFC 9111 §5.2.2.4 no-cache=\"a, b\": both withheld     |200| Cache-Control: no-cache=\"a, b\"; a: 1; b: 2; c: 3; Cache-Control: max-age=3600 | 1 | true | true | 1 | c=3 | a b",
                "RFC 9111 §5.2.2.7 private=\"X-User\": withheld         |200| Cache-Control: max-age=60, private=\"X-User\"; X-User: ann; X-Page: p | 1 | true | true | 1 | X-Page=p | X-User",
                "RFC 9111 §5.2.2.7 private: not stored                  |200| Cache-Control: private, max-age=60 | 1 | false | false | - | - | -",
                "RFC 9213 §2.1 CDN max-age over CC no-store, forwarded  |200| Cache-Control: no-store; CDN-Cache-Control: max-age=10000 | 3 | true | true | 3 | CDN-Cache-Control=max-age=10000 & Cache-Control=no-store | -",
                "RFC 9213 §2.1 short CDN max-age over long CC           |200| Cache-Control: max-age=3600; CDN-Cache-Control: max-age=1 | 3 | true | false | 3 | - | -",
                "RFC 9213 §2.1 CDN no-store over CC max-age             |200| Cache-Control: max-age=10000; CDN-Cache-Control: no-store; Expires: "
                        + D_PLUS_30D + "; Date: " + D0 + " | 1 | false | false | - | - | -",
                "RFC 9213 §2.1 CDN private over CC max-age              |200| CDN-Cache-Control: private; Cache-Control: max-age=10000 | 1 | false | false | - | - | -",
                "RFC 9213 §2.1 CDN no-cache over CC max-age             |200| CDN-Cache-Control: no-cache; Cache-Control: max-age=10000; ETag: \"e\" | 1 | true | false | 1 | - | -",
                "RFC 9213 §2.2 an invalid CDN field is ignored          |200| CDN-Cache-Control: max-age=10000, &&&&&; Cache-Control: no-store | 1 | false | false | - | - | -",
                "RFC 9213 §2.2 a wrong-type CDN field is ignored        |200| CDN-Cache-Control: max-age=\"10000\"; Cache-Control: no-store | 1 | false | false | - | - | -",
            })
    void originAnswerThenNextRequest(
            String rule,
            int status,
            String fields,
            long later,
            boolean stored,
            boolean fresh,
            Long age,
            String present,
            String absent) {
        OriginResponse answer = new OriginResponse(status, headers(fields), "body".getBytes(StandardCharsets.UTF_8));
        Optional<String> reason = HttpCachePolicy.notStorableReason(HTTP, answer, false);
        assertThat(reason.isEmpty())
                .as(rule + ": stored (" + reason.orElse("") + ")")
                .isEqualTo(stored);
        if (!stored) return;
        StoredEntry e = HttpCachePolicy.toEntry(HTTP, answer, "v1", T0, 0);
        long then = T0 + later * 1000;
        assertThat(e.isFreshAt(then)).as(rule + ": fresh").isEqualTo(fresh);
        FullHttpResponse r = ResponseFactory.fromEntry(e, get(), then, fresh ? Outcome.HIT_MEMORY : Outcome.HIT_STALE);
        try {
            assertThat(r.status().code()).as(rule).isEqualTo(status);
            assertThat(r.headers().get("Age")).as(rule + ": Age").isEqualTo(String.valueOf(age));
            if (present != null) {
                for (String pair : present.split("&")) {
                    int eq = pair.indexOf('=');
                    assertThat(r.headers().getAll(pair.substring(0, eq).strip()))
                            .as(rule + ": " + pair)
                            .containsExactly(pair.substring(eq + 1).strip());
                }
            }
            if (absent != null) {
                for (String name : absent.split(" ")) {
                    assertThat(r.headers().contains(name))
                            .as(rule + ": no " + name)
                            .isFalse();
                }
            }
        } finally {
            r.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = { // RFC 9111 §5.1, §4.2.3: a miss passes the origin's Age on; a fresh answer sends none
                "RFC 9111 §5.1 the origin's Age is passed on a miss | Cache-Control: max-age=600; Age: 30 | 30",
                "RFC 9111 §4.2.3 a late Date ages it too           | Cache-Control: max-age=600; Date: " + D_MINUS_10
                        + " | 10",
                "RFC 9111 §5.1 a response of age 0 has no Age      | Cache-Control: max-age=600; Date: " + D0 + " | -1",
            })
    void aMissSendsTheAgeTheResponseAlreadyHad(String rule, String fields, long age) {
        OriginResponse answer = new OriginResponse(200, headers(fields), "body".getBytes(StandardCharsets.UTF_8));
        StoredEntry e = HttpCachePolicy.toEntry(HTTP, answer, "v1", T0, 0);
        FullHttpResponse r = ResponseFactory.fromEntry(e, get(), T0, Outcome.MISS_STORED);
        try {
            assertThat(r.headers().get("Age")).as(rule).isEqualTo(age < 0 ? null : String.valueOf(age));
        } finally {
            r.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = { // RFC 9111 §5.2.2.4, §5.2.2.7: withheld from the store, not from the reader it was fetched for
                "RFC 9111 §5.2.2.7 private=\"X-User\" | Cache-Control: max-age=60, private=\"X-User\"; X-User: ann | X-User",
                "RFC 9111 §5.2.2.4 no-cache=\"a\"     | Cache-Control: max-age=60, no-cache=\"a\"; a: 1              | a",
            })
    void theReaderWhoseFetchStoredItGetsTheWithheldFields(String rule, String fields, String name) {
        OriginResponse answer = new OriginResponse(200, headers(fields), "body".getBytes(StandardCharsets.UTF_8));
        StoredEntry e = HttpCachePolicy.toEntry(HTTP, answer, "v1", T0, 0);
        FullHttpResponse own = ResponseFactory.fromEntry(e, get(), T0, Outcome.MISS_STORED);
        FullHttpResponse later = ResponseFactory.fromEntry(e, get(), T0 + 1000, Outcome.HIT_MEMORY);
        try {
            ResponseFactory.restoreWithheld(own, answer);
            assertThat(own.headers().contains(name))
                    .as(rule + ": the fetching reader")
                    .isTrue();
            assertThat(later.headers().contains(name))
                    .as(rule + ": a later reader")
                    .isFalse();
        } finally {
            own.release();
            later.release();
        }
    }

    private static List<Header> headers(String spec) {
        List<Header> out = new ArrayList<>();
        for (String f : spec.split(";")) {
            int colon = f.indexOf(':');
            out.add(new Header(
                    f.substring(0, colon).strip(), f.substring(colon + 1).strip()));
        }
        return out;
    }

    private static ClientRequest get() {
        return new ClientRequest(
                "GET",
                CacheKey.fromRequestTarget("/f"),
                new RouteTable(List.of()).match("/f"),
                null,
                null,
                0,
                false,
                ReaderFreshness.ANY,
                false,
                null,
                null,
                null,
                null,
                null);
    }
}
