package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.edgecache.proxy.HttpRouteIT.page;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.testing.EdgeServerExtension;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11.8: partial content on http routes. A stored complete response answers any byte range (RFC 9110 §14,
 * RFC 9111 §3.4); a range on a miss fetches and stores the whole representation; a 206 from the origin is never
 * stored, so it is never served as a complete response (RFC 9111 §3.3); HEAD is answered from what GET stored.
 */
class Issue11PartialContentIT {
    private static final String BODY = "0123456789ABCDEFGHIJ"; // 20 bytes
    /** Before the scripted Date ({@link HttpRouteIT#DATE}) by a day: a strong validator (RFC 9110 §8.8.2.2). */
    private static final String LAST_MODIFIED = "Wed, 31 Dec 2025 00:00:00 GMT";

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @RegisterExtension
    final EdgeServerExtension edge = new EdgeServerExtension(origin::getPort, HttpRouteIT.ROUTES);

    private static String status(HttpResponse<String> r) {
        return r.headers().firstValue("Cache-Status").orElse("");
    }

    private static String header(HttpResponse<String> r, String name) {
        return r.headers().firstValue(name).orElse("");
    }

    /** {@code path} answers its whole body without Range, and a 206 of something else with one (never asked for). */
    private static void file(String path, String... headers) {
        origin.stubFor(get(path).willReturn(page(BODY, headers)));
        origin.stubFor(get(path)
                .withHeader("Range", matching(".*"))
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(206)
                        .withHeader("Content-Range", "bytes 0-1/20")
                        .withBody("01")));
    }

    private HttpResponse<String> request(String path, String... headers) {
        return Http.get(edge.port(), path, headers);
    }

    @Test
    void aRangeOnAMissStoresTheWholeRepresentationAndAnswersTheRangeFromIt() { // RFC 9111 §3.4, RFC 9110 §14.2
        file("/docs/f", "Cache-Control", "max-age=600");
        HttpResponse<String> miss = request("/docs/f", "Range", "bytes=2-5");
        assertThat(miss.statusCode()).isEqualTo(206);
        assertThat(miss.body()).isEqualTo("2345");
        assertThat(header(miss, "Content-Range")).isEqualTo("bytes 2-5/20");
        origin.verify(1, getRequestedFor(urlEqualTo("/docs/f")).withHeader("Range", absent()));

        HttpResponse<String> whole = request("/docs/f");
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).as("the stored body is complete").isEqualTo(BODY);
        assertThat(header(whole, "Content-Range")).isEmpty();
        assertThat(status(whole)).isEqualTo("edge; hit");
        origin.verify(1, getRequestedFor(urlEqualTo("/docs/f")));
    }

    @Test
    void everyFormOfASingleRangeIsAnsweredFromTheStore() { // RFC 9110 §14.1.2, §15.3.7
        file("/docs/g", "Cache-Control", "max-age=600");
        request("/docs/g");
        String[][] cases = {
            {"bytes=0-1", "01", "bytes 0-1/20"}, // suite partial-store-complete-reuse-partial
            {"bytes=18-", "IJ", "bytes 18-19/20"}, // open: suite ...-no-last
            {"bytes=-1", "J", "bytes 19-19/20"}, // suffix: suite ...-suffix
            {"bytes=15-100", "FGHIJ", "bytes 15-19/20"}, // last-pos past the end
            {"bytes=-100", BODY, "bytes 0-19/20"}, // a suffix longer than the body
            {"bytes=0-3,2-5", "012345", "bytes 0-5/20"}, // overlapping ranges coalesce (§14.2)
            {"bytes=20-, 0-0", "0", "bytes 0-0/20"}, // the unsatisfiable one is left out
        };
        for (String[] c : cases) {
            HttpResponse<String> r = request("/docs/g", "Range", c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(206);
            assertThat(r.body()).as(c[0]).isEqualTo(c[1]);
            assertThat(header(r, "Content-Range")).as(c[0]).isEqualTo(c[2]);
            assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(c[1].length());
            assertThat(status(r)).isEqualTo("edge; hit");
            assertThat(header(r, "Cache-Control"))
                    .as("§15.3.7: the 200's fields")
                    .isEqualTo("max-age=600");
        }
        origin.verify(1, getRequestedFor(urlEqualTo("/docs/g")));
    }

    @Test
    void disjointRangesGetTheWhole200AndUnsatisfiableOnesA416() { // RFC 9110 §14.2, §15.5.17
        file("/docs/h", "Cache-Control", "max-age=600");
        request("/docs/h");
        HttpResponse<String> several = request("/docs/h", "Range", "bytes=0-1,5-6");
        assertThat(several.statusCode()).isEqualTo(200);
        assertThat(several.body()).isEqualTo(BODY);

        for (String range : new String[] {"bytes=20-", "bytes=-0", "bytes=30-40,50-"}) {
            HttpResponse<String> r = request("/docs/h", "Range", range);
            assertThat(r.statusCode()).as(range).isEqualTo(416);
            assertThat(header(r, "Content-Range")).as(range).isEqualTo("bytes */20");
        }
        assertThat(request("/docs/h", "Range", "lines=1-2").statusCode())
                .as("an unknown unit is ignored")
                .isEqualTo(200);
        origin.verify(1, getRequestedFor(urlEqualTo("/docs/h")));
    }

    @Test
    void ifRangeHoldsForTheStrongEtagOrAStrongLastModifiedOnly() { // RFC 9110 §13.1.5, §8.8.2.2
        file("/docs/i", "Cache-Control", "max-age=600", "ETag", "\"i1\"", "Last-Modified", LAST_MODIFIED);
        request("/docs/i");
        assertThat(request("/docs/i", "Range", "bytes=0-1", "If-Range", "\"i1\"")
                        .statusCode())
                .isEqualTo(206);
        assertThat(request("/docs/i", "Range", "bytes=0-1", "If-Range", LAST_MODIFIED)
                        .statusCode())
                .isEqualTo(206);
        HttpResponse<String> changed = request("/docs/i", "Range", "bytes=0-1", "If-Range", "\"i0\"");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(BODY);
        assertThat(request("/docs/i", "Range", "bytes=0-1", "If-Range", "W/\"i1\"")
                        .statusCode())
                .isEqualTo(200);

        // Last-Modified in the very second of Date: weak, so a date never holds (§8.8.2.2)
        file("/docs/j", "Cache-Control", "max-age=600", "Last-Modified", HttpRouteIT.DATE);
        request("/docs/j");
        assertThat(request("/docs/j", "Range", "bytes=0-1", "If-Range", HttpRouteIT.DATE)
                        .statusCode())
                .isEqualTo(200);
        assertThat(request("/docs/j", "Range", "bytes=0-1").statusCode()).isEqualTo(206);
    }

    @Test
    void a206FromTheOriginIsNeverStoredEvenWithExplicitFreshness() { // RFC 9111 §3.3, §3
        origin.stubFor(get("/docs/p")
                .willReturn(page("01", "Cache-Control", "max-age=600", "Content-Range", "bytes 0-1/20")
                        .withStatus(206)));
        assertThat(request("/docs/p").statusCode()).isEqualTo(206);
        HttpResponse<String> again = request("/docs/p");
        assertThat(again.statusCode())
                .as("relayed, never served as a complete 200")
                .isEqualTo(206);
        assertThat(status(again)).startsWith("edge; fwd=miss").doesNotContain("stored");
        assertThat(request("/docs/p", "Range", "bytes=0-1").statusCode()).isEqualTo(206);
        origin.verify(3, getRequestedFor(urlEqualTo("/docs/p")));
        assertThat(edge.store().memory().cache().asMap().keySet())
                .noneMatch(k -> k.key().path().equals("/docs/p"));
    }

    @Test
    void aRangeOnAResponseThatIsNotStoredGetsTheWhole200() { // RFC 9110 §14.2: a server may ignore Range
        file("/docs/n", "Cache-Control", "no-store");
        HttpResponse<String> r = request("/docs/n", "Range", "bytes=0-1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(BODY);
        origin.verify(1, getRequestedFor(urlEqualTo("/docs/n")).withHeader("Range", absent()));
    }

    @Test
    void headIsAnsweredFromWhatGetStoredAndFillsTheStoreWithAGet() { // RFC 9110 §9.3.2, RFC 9111 §4
        file("/docs/head", "Cache-Control", "max-age=600");
        HttpResponse<String> cold = Http.head(edge.port(), "/docs/head");
        assertThat(cold.statusCode()).isEqualTo(200);
        assertThat(cold.body()).isEmpty();
        assertThat(cold.headers().firstValueAsLong("Content-Length")).hasValue(20);
        HttpResponse<String> warm = Http.head(edge.port(), "/docs/head", "Range", "bytes=0-1");
        assertThat(warm.statusCode())
                .as("Range is defined for GET only (§14.2)")
                .isEqualTo(200);
        assertThat(warm.headers().firstValueAsLong("Content-Length")).hasValue(20);
        assertThat(status(warm)).isEqualTo("edge; hit");
        HttpResponse<String> body = request("/docs/head");
        assertThat(body.body()).isEqualTo(BODY);
        assertThat(status(body)).isEqualTo("edge; hit");
        origin.verify(1, getRequestedFor(urlEqualTo("/docs/head")));
    }

    @Test
    void aRangeIsTakenFromTheReadersOwnVariant() { // RFC 9111 §4.1 with RFC 9110 §14
        origin.stubFor(get("/docs/v")
                .willReturn(page(
                                "{{request.headers.Accept-Language}}-0123456789",
                                "Cache-Control",
                                "max-age=600",
                                "Vary",
                                "Accept-Language")
                        .withTransformers("response-template")));
        request("/docs/v", "Accept-Language", "en");
        request("/docs/v", "Accept-Language", "fr");
        HttpResponse<String> fr = request("/docs/v", "Range", "bytes=0-1", "Accept-Language", "FR");
        assertThat(fr.statusCode()).isEqualTo(206);
        assertThat(fr.body()).isEqualTo("fr");
        assertThat(status(fr)).isEqualTo("edge; hit");
        assertThat(request("/docs/v", "Range", "bytes=-2", "Accept-Language", "en")
                        .body())
                .isEqualTo("89");
    }
}
