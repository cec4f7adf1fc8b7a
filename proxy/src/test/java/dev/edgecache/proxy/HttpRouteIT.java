package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.common.testing.FakeClock;
import dev.edgecache.proxy.metrics.Outcome;
import dev.edgecache.proxy.testing.EdgeServerExtension;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code mode: http} end to end (issue 5): freshness from the origin's headers, validation, Authorization. */
class HttpRouteIT {
    static final String ROUTES = """
            - {match: /api/**, mode: pass}
            - {match: /docs/**, mode: http}
            - {match: /bounded/**, mode: http, max-variants: 2}
            - {match: /strict/**, mode: persistent, client-revalidate: honor}
            - {match: "/{user}/{slug}", mode: persistent}
            """;
    /** The fake clock's start, as an HTTP-date: what the scripted origin says its Date is. */
    static final String DATE = "Thu, 01 Jan 2026 00:00:00 GMT";

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @RegisterExtension
    final EdgeServerExtension edge = new EdgeServerExtension(origin::getPort, ROUTES);

    static ResponseDefinitionBuilder page(String body, String... headers) {
        ResponseDefinitionBuilder r = aResponse().withStatus(200).withBody(body).withHeader("Date", DATE);
        for (int i = 0; i < headers.length; i += 2) r = r.withHeader(headers[i], headers[i + 1]);
        return r;
    }

    private String status(HttpResponse<String> r) {
        return r.headers().firstValue("Cache-Status").orElse("");
    }

    /** Requests {@code path} at {@code seconds} after the start and says whether the edge answered from its store. */
    private boolean hitAt(String path, long seconds) {
        edge.clock().advance(Duration.ofMillis(seconds * 1000 - (edge.clock().millis() - new FakeClock().millis())));
        return status(Http.get(edge.port(), path)).equals("edge; hit");
    }

    @Test
    void theOriginsStaleIfErrorServesTheStoredPageWhenItFails() { // RFC 5861 §4
        origin.stubFor(get("/docs/sie").willReturn(page("good", "Cache-Control", "max-age=60, stale-if-error=600")));
        assertThat(hitAt("/docs/sie", 0)).isFalse();
        origin.stubFor(get("/docs/sie").willReturn(aResponse().withStatus(503)));
        edge.clock().advance(Duration.ofSeconds(120));
        HttpResponse<String> r = Http.get(edge.port(), "/docs/sie");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("good");
        assertThat(status(r)).isEqualTo("edge; hit; fwd=stale; detail=origin-error");
        edge.clock().advance(Duration.ofSeconds(600));
        assertThat(Http.get(edge.port(), "/docs/sie").statusCode())
                .as("past the window")
                .isEqualTo(503);
    }

    @Test
    void mustRevalidateForbidsStaleIfError() { // RFC 9111 §5.2.2.2
        origin.stubFor(get("/docs/mr")
                .willReturn(page("good", "Cache-Control", "max-age=60, must-revalidate, stale-if-error=600")));
        assertThat(hitAt("/docs/mr", 0)).isFalse();
        origin.stubFor(get("/docs/mr").willReturn(aResponse().withStatus(503)));
        edge.clock().advance(Duration.ofSeconds(120));
        assertThat(Http.get(edge.port(), "/docs/mr").statusCode()).isEqualTo(503);
    }

    @Test
    void sMaxageOutranksMaxAge() { // RFC 9111 §5.2.2.10
        origin.stubFor(get("/docs/s").willReturn(page("s", "Cache-Control", "max-age=300, s-maxage=30")));
        assertThat(hitAt("/docs/s", 0)).isFalse();
        assertThat(hitAt("/docs/s", 29)).isTrue();
        assertThat(hitAt("/docs/s", 31)).isFalse();
        origin.verify(2, getRequestedFor(urlEqualTo("/docs/s")));
    }

    @Test
    void maxAgeCountsTheOriginsAge() { // RFC 9111 §5.2.2.1, §4.2.3
        origin.stubFor(get("/docs/m").willReturn(page("m", "Cache-Control", "max-age=60", "Age", "20")));
        assertThat(hitAt("/docs/m", 0)).isFalse();
        HttpResponse<String> hit = Http.get(edge.port(), "/docs/m");
        assertThat(hit.headers().firstValue("Age")).contains("20");
        assertThat(hitAt("/docs/m", 39)).isTrue();
        assertThat(hitAt("/docs/m", 41)).isFalse();
    }

    @Test
    void expiresMinusDateWhenNoMaxAge() { // RFC 9111 §5.3
        origin.stubFor(get("/docs/e").willReturn(page("e", "Expires", "Thu, 01 Jan 2026 00:02:00 GMT")));
        assertThat(hitAt("/docs/e", 0)).isFalse();
        assertThat(hitAt("/docs/e", 119)).isTrue();
        assertThat(hitAt("/docs/e", 121)).isFalse();
    }

    @Test
    void cdnCacheControlTakesPrecedence() { // RFC 9213 §2.1
        origin.stubFor(get("/docs/c")
                .willReturn(page(
                        "c",
                        "CDN-Cache-Control",
                        "max-age=100",
                        "Surrogate-Control",
                        "max-age=50",
                        "Cache-Control",
                        "max-age=10")));
        assertThat(hitAt("/docs/c", 0)).isFalse();
        assertThat(hitAt("/docs/c", 99)).isTrue();
        HttpResponse<String> r = Http.get(edge.port(), "/docs/c");
        assertThat(r.headers().firstValue("Cache-Control"))
                .as("readers still get the origin's Cache-Control")
                .contains("max-age=10");
        assertThat(hitAt("/docs/c", 101)).isFalse();
    }

    @Test
    void noHeadersNoValidatorsIsNotStored() { // RFC 9111 §3, §4.2.2
        origin.stubFor(get("/docs/n").willReturn(page("n")));
        Http.get(edge.port(), "/docs/n");
        assertThat(status(Http.get(edge.port(), "/docs/n"))).isEqualTo("edge; fwd=miss; detail=stale");
        origin.verify(2, getRequestedFor(urlEqualTo("/docs/n")));
    }

    @Test
    void noCacheIsRevalidatedOnEveryUseAnd304ServesTheStoredBody() { // RFC 9111 §5.2.2.4, §4.3
        origin.stubFor(get("/docs/nc").willReturn(page("stored body", "Cache-Control", "no-cache", "ETag", "\"v1\"")));
        origin.stubFor(get("/docs/nc")
                .withHeader("If-None-Match", equalTo("\"v1\""))
                .atPriority(1)
                .willReturn(
                        aResponse().withStatus(304).withHeader("ETag", "\"v1\"").withHeader("Date", DATE)));
        assertThat(status(Http.get(edge.port(), "/docs/nc"))).isEqualTo("edge; fwd=miss; stored");
        HttpResponse<String> second = Http.get(edge.port(), "/docs/nc");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo("stored body");
        assertThat(status(second)).isEqualTo("edge; fwd=stale; fwd-status=304; stored");
        Http.get(edge.port(), "/docs/nc");
        origin.verify(1, getRequestedFor(urlEqualTo("/docs/nc")).withHeader("If-None-Match", absent()));
        origin.verify(2, getRequestedFor(urlEqualTo("/docs/nc")).withHeader("If-None-Match", equalTo("\"v1\"")));
        assertThat(edge.metrics().requestCount("/docs/**", Outcome.REVALIDATED)).isEqualTo(2);
    }

    @Test
    void mustRevalidateIsNeverServedStaleWhereStaleWhileRevalidateWouldBe() { // RFC 9111 §5.2.2.2, RFC 5861 §3
        origin.stubFor(
                get("/docs/swr").willReturn(page("old", "Cache-Control", "max-age=10, stale-while-revalidate=60")));
        origin.stubFor(get("/docs/mr")
                .willReturn(page("old", "Cache-Control", "max-age=10, must-revalidate, stale-while-revalidate=60")));
        Http.get(edge.port(), "/docs/swr");
        Http.get(edge.port(), "/docs/mr");
        origin.stubFor(get("/docs/swr").willReturn(page("new", "Cache-Control", "max-age=10")));
        origin.stubFor(get("/docs/mr").willReturn(page("new", "Cache-Control", "max-age=10")));
        edge.clock().advance(Duration.ofSeconds(11));

        HttpResponse<String> swr = Http.get(edge.port(), "/docs/swr");
        assertThat(swr.body()).isEqualTo("old");
        assertThat(status(swr)).isEqualTo("edge; hit; fwd=stale");
        HttpResponse<String> mr = Http.get(edge.port(), "/docs/mr");
        assertThat(mr.body()).isEqualTo("new");
        assertThat(status(mr)).isEqualTo("edge; fwd=stale; stored");
    }

    @Test
    void authorizedRequestsAreForwardedWithCredentialsAndSharedOnlyWhenTheResponseSaysSo() { // RFC 9111 §3.5
        origin.stubFor(get("/docs/mine").willReturn(page("mine", "Cache-Control", "max-age=60")));
        Http.get(edge.port(), "/docs/mine", "Authorization", "Basic YWxpY2U6cHc=");
        assertThat(status(Http.get(edge.port(), "/docs/mine", "Authorization", "Basic YWxpY2U6cHc=")))
                .isEqualTo("edge; fwd=miss; detail=authorization");
        origin.verify(
                2,
                getRequestedFor(urlEqualTo("/docs/mine")).withHeader("Authorization", equalTo("Basic YWxpY2U6cHc=")));

        origin.stubFor(get("/docs/shared").willReturn(page("shared", "Cache-Control", "public, max-age=60")));
        assertThat(status(Http.get(edge.port(), "/docs/shared", "Authorization", "Basic YWxpY2U6cHc=")))
                .isEqualTo("edge; fwd=miss; stored");
        assertThat(status(Http.get(edge.port(), "/docs/shared"))).isEqualTo("edge; hit");
        assertThat(status(Http.get(edge.port(), "/docs/shared", "Authorization", "Basic Ym9iOnB3")))
                .isEqualTo("edge; hit");
        origin.verify(1, getRequestedFor(urlEqualTo("/docs/shared")));

        // stored for anonymous readers, but not admitted for credentials: the origin decides
        origin.stubFor(get("/docs/anon").willReturn(page("anon", "Cache-Control", "max-age=60")));
        Http.get(edge.port(), "/docs/anon");
        assertThat(status(Http.get(edge.port(), "/docs/anon"))).isEqualTo("edge; hit");
        assertThat(status(Http.get(edge.port(), "/docs/anon", "Authorization", "Basic Ym9iOnB3")))
                .isEqualTo("edge; fwd=miss; detail=authorization");
        origin.verify(
                1, getRequestedFor(urlEqualTo("/docs/anon")).withHeader("Authorization", equalTo("Basic Ym9iOnB3")));
    }

    @Test
    void cookiesStayBehindOnHttpRoutes() {
        origin.stubFor(get("/docs/k").willReturn(page("k", "Cache-Control", "max-age=60")));
        Http.get(edge.port(), "/docs/k", "Cookie", "sid=secret", "Accept-Language", "en");
        origin.verify(
                1,
                getRequestedFor(urlEqualTo("/docs/k"))
                        .withHeader("Cookie", absent())
                        .withHeader("Accept-Language", equalTo("en")));
    }
}
