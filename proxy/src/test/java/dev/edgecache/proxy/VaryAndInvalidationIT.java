package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.edgecache.proxy.HttpRouteIT.page;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.testing.EdgeServerExtension;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 5: Vary variants, unsafe-method invalidation and the reader's no-cache, end to end. */
class VaryAndInvalidationIT {
    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @RegisterExtension
    final EdgeServerExtension edge = new EdgeServerExtension(origin::getPort, HttpRouteIT.ROUTES);

    private static String status(HttpResponse<String> r) {
        return r.headers().firstValue("Cache-Status").orElse("");
    }

    private void byLanguage(String path, String... languages) {
        for (String lang : languages) {
            origin.stubFor(get(path)
                    .withHeader("Accept-Language", equalTo(lang))
                    .willReturn(page("text in " + lang, "Cache-Control", "max-age=60", "Vary", "Accept-Language")));
        }
    }

    private HttpResponse<String> getIn(String path, String lang) {
        return Http.get(edge.port(), path, "Accept-Language", lang);
    }

    @Test
    void eachVariantIsStoredAndServedToTheReadersThatSelectIt() { // RFC 9111 §4.1
        byLanguage("/docs/v", "en", "fr");
        assertThat(getIn("/docs/v", "en").body()).isEqualTo("text in en");
        assertThat(getIn("/docs/v", "fr").body()).isEqualTo("text in fr");
        HttpResponse<String> en = getIn("/docs/v", "en");
        HttpResponse<String> fr = getIn("/docs/v", "fr");
        assertThat(en.body()).isEqualTo("text in en");
        assertThat(status(en)).isEqualTo("edge; hit");
        assertThat(en.headers().firstValue("Vary")).contains("Accept-Language");
        assertThat(fr.body()).isEqualTo("text in fr");
        assertThat(status(fr)).isEqualTo("edge; hit");
        origin.verify(1, getRequestedFor(urlEqualTo("/docs/v")).withHeader("Accept-Language", equalTo("en")));
        origin.verify(1, getRequestedFor(urlEqualTo("/docs/v")).withHeader("Accept-Language", equalTo("fr")));
    }

    @Test
    void varyStarIsNeverStored() { // RFC 9111 §4.1
        origin.stubFor(get("/docs/star").willReturn(page("any", "Cache-Control", "max-age=60", "Vary", "*")));
        Http.get(edge.port(), "/docs/star");
        assertThat(status(Http.get(edge.port(), "/docs/star"))).isEqualTo("edge; fwd=miss; detail=vary-star");
        origin.verify(2, getRequestedFor(urlEqualTo("/docs/star")));
    }

    @Test
    void theOldestVariantIsEvictedPastMaxVariants() { // route key max-variants: 2
        byLanguage("/bounded/v", "en", "fr", "de");
        getIn("/bounded/v", "en");
        getIn("/bounded/v", "fr");
        getIn("/bounded/v", "de"); // evicts en
        assertThat(status(getIn("/bounded/v", "fr"))).isEqualTo("edge; hit");
        assertThat(status(getIn("/bounded/v", "de"))).isEqualTo("edge; hit");
        HttpResponse<String> en = getIn("/bounded/v", "en");
        assertThat(en.body()).isEqualTo("text in en");
        assertThat(status(en)).isEqualTo("edge; fwd=miss; stored");
        origin.verify(2, getRequestedFor(urlEqualTo("/bounded/v")).withHeader("Accept-Language", equalTo("en")));
    }

    @Test
    void aSuccessfulPostInvalidatesTheTargetAndItsLocation() { // RFC 9111 §4.4
        origin.stubFor(get("/alice/hello").willReturn(aResponse().withBody("v1")));
        origin.stubFor(get("/alice/comments").willReturn(aResponse().withBody("c1")));
        Http.get(edge.port(), "/alice/hello");
        Http.get(edge.port(), "/alice/comments");
        assertThat(status(Http.get(edge.port(), "/alice/hello"))).isEqualTo("edge; hit");

        origin.stubFor(post("/alice/hello")
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Location", "http://127.0.0.1:" + edge.port() + "/alice/comments")));
        HttpResponse<String> posted = Http.post(edge.port(), "/alice/hello", "comment=hi");
        assertThat(posted.statusCode()).isEqualTo(201);

        assertThat(status(Http.get(edge.port(), "/alice/hello"))).isEqualTo("edge; fwd=miss; stored");
        assertThat(status(Http.get(edge.port(), "/alice/comments"))).isEqualTo("edge; fwd=miss; stored");
        origin.verify(2, getRequestedFor(urlEqualTo("/alice/hello")));
        origin.verify(2, getRequestedFor(urlEqualTo("/alice/comments")));
    }

    @Test
    void aFailedUnsafeRequestInvalidatesNothingAndAnotherHostIsLeftAlone() { // RFC 9111 §4.4
        origin.stubFor(get("/alice/hello").willReturn(aResponse().withBody("v1")));
        origin.stubFor(get("/alice/other").willReturn(aResponse().withBody("o1")));
        Http.get(edge.port(), "/alice/hello");
        Http.get(edge.port(), "/alice/other");
        origin.stubFor(post("/alice/hello").willReturn(aResponse().withStatus(500)));
        Http.post(edge.port(), "/alice/hello", "x");
        assertThat(status(Http.get(edge.port(), "/alice/hello"))).isEqualTo("edge; hit");

        origin.stubFor(post("/alice/hello")
                .willReturn(
                        aResponse().withStatus(303).withHeader("Location", "http://elsewhere.example/alice/other")));
        Http.post(edge.port(), "/alice/hello", "x");
        assertThat(status(Http.get(edge.port(), "/alice/other"))).isEqualTo("edge; hit");
    }

    @Test
    void deleteOfAVaryingPageRemovesEveryVariant() { // RFC 9111 §4.4 with §4.1
        byLanguage("/docs/v", "en", "fr");
        getIn("/docs/v", "en");
        getIn("/docs/v", "fr");
        origin.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete("/docs/v")
                .willReturn(aResponse().withStatus(204)));
        Http.send(HttpRequest.newBuilder(Http.uri(edge.port(), "/docs/v")).DELETE());
        assertThat(status(getIn("/docs/v", "en"))).isEqualTo("edge; fwd=miss; stored");
        assertThat(status(getIn("/docs/v", "fr"))).isEqualTo("edge; fwd=miss; stored");
    }

    @Test
    void aReadersNoCacheIsIgnoredOnPersistentRoutesByDefault() { // client-revalidate: ignore
        origin.stubFor(get("/alice/hello").willReturn(aResponse().withBody("v1")));
        Http.get(edge.port(), "/alice/hello");
        assertThat(status(Http.get(edge.port(), "/alice/hello", "Cache-Control", "no-cache")))
                .isEqualTo("edge; hit");
        assertThat(status(Http.get(edge.port(), "/alice/hello", "Cache-Control", "max-age=0")))
                .isEqualTo("edge; hit");
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/hello")));
    }

    @Test
    void onlyIfCachedGetsTheStoredPageOrA504AndNeverReachesTheOrigin() { // RFC 9111 §5.2.1.7
        origin.stubFor(get("/alice/hello").willReturn(aResponse().withBody("v1")));
        HttpResponse<String> cold = Http.get(edge.port(), "/alice/hello", "Cache-Control", "only-if-cached");
        assertThat(cold.statusCode()).isEqualTo(504);
        assertThat(status(cold)).isEqualTo("edge; detail=only-if-cached");
        origin.verify(0, getRequestedFor(urlEqualTo("/alice/hello")));

        Http.get(edge.port(), "/alice/hello");
        HttpResponse<String> warm = Http.get(edge.port(), "/alice/hello", "Cache-Control", "only-if-cached");
        assertThat(warm.statusCode()).isEqualTo(200);
        assertThat(warm.body()).isEqualTo("v1");
        assertThat(status(warm)).isEqualTo("edge; hit");
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/hello")));
    }

    @Test
    void aReadersNoCacheIsHonouredWhereTheRouteSaysSo() { // RFC 9111 §5.2.1.4, client-revalidate: honor
        origin.stubFor(get("/docs/h").willReturn(page("v1", "Cache-Control", "max-age=60", "ETag", "\"h1\"")));
        origin.stubFor(get("/docs/h")
                .withHeader("If-None-Match", equalTo("\"h1\""))
                .atPriority(1)
                .willReturn(aResponse().withStatus(304).withHeader("Date", HttpRouteIT.DATE)));
        Http.get(edge.port(), "/docs/h");
        assertThat(status(Http.get(edge.port(), "/docs/h"))).isEqualTo("edge; hit");
        HttpResponse<String> revalidated = Http.get(edge.port(), "/docs/h", "Cache-Control", "no-cache");
        assertThat(revalidated.body()).isEqualTo("v1");
        assertThat(status(revalidated)).isEqualTo("edge; fwd=stale; fwd-status=304; stored");
        assertThat(status(Http.get(edge.port(), "/docs/h", "Cache-Control", "max-age=0")))
                .isEqualTo("edge; fwd=stale; fwd-status=304; stored");
        origin.verify(2, getRequestedFor(urlEqualTo("/docs/h")).withHeader("If-None-Match", equalTo("\"h1\"")));

        origin.stubFor(get("/strict/p").willReturn(aResponse().withBody("p1")));
        Http.get(edge.port(), "/strict/p");
        origin.stubFor(get("/strict/p").willReturn(aResponse().withBody("p2")));
        assertThat(Http.get(edge.port(), "/strict/p").body()).isEqualTo("p1");
        HttpResponse<String> forced = Http.get(edge.port(), "/strict/p", "Cache-Control", "no-cache");
        assertThat(forced.body()).isEqualTo("p2");
        assertThat(status(forced)).isEqualTo("edge; fwd=stale; stored");
    }

    @Test
    void aReadersMaxAgeAndMinFreshAreHonouredWhereTheRouteSaysSo() { // RFC 9111 §5.2.1.1, §5.2.1.3
        // 100 s old when it arrives (§4.2.3), fresh for 500 s more
        origin.stubFor(
                get("/docs/a").willReturn(page("v1", "Cache-Control", "max-age=600", "Age", "100", "ETag", "\"a1\"")));
        origin.stubFor(get("/docs/a")
                .withHeader("If-None-Match", equalTo("\"a1\""))
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(304)
                        .withHeader("Cache-Control", "max-age=600")
                        .withHeader("Date", HttpRouteIT.DATE)));
        Http.get(edge.port(), "/docs/a");
        assertThat(status(Http.get(edge.port(), "/docs/a", "Cache-Control", "max-age=300")))
                .isEqualTo("edge; hit");
        assertThat(status(Http.get(edge.port(), "/docs/a", "Cache-Control", "min-fresh=60")))
                .isEqualTo("edge; hit");
        origin.verify(0, getRequestedFor(urlEqualTo("/docs/a")).withHeader("If-None-Match", equalTo("\"a1\"")));

        HttpResponse<String> tooOld = Http.get(edge.port(), "/docs/a", "Cache-Control", "max-age=50");
        assertThat(tooOld.body()).isEqualTo("v1");
        assertThat(status(tooOld)).isEqualTo("edge; fwd=stale; fwd-status=304; stored");
        assertThat(status(Http.get(edge.port(), "/docs/a", "Cache-Control", "max-age=50")))
                .as("the 304 made it new again")
                .isEqualTo("edge; hit");

        HttpResponse<String> notFreshEnough = Http.get(edge.port(), "/docs/a", "Cache-Control", "min-fresh=700");
        assertThat(status(notFreshEnough)).isEqualTo("edge; fwd=stale; fwd-status=304; stored");
        origin.verify(2, getRequestedFor(urlEqualTo("/docs/a")).withHeader("If-None-Match", equalTo("\"a1\"")));
    }

    @Test
    void aReadersMaxStaleDoesNotWidenWhatTheEdgeServesStale() { // RFC 9111 §5.2.1.2: a cache may decline
        origin.stubFor(get("/docs/s").willReturn(page("s1", "Cache-Control", "max-age=1", "Age", "5")));
        Http.get(edge.port(), "/docs/s");
        origin.stubFor(get("/docs/s").willReturn(page("s2", "Cache-Control", "max-age=60")));
        HttpResponse<String> r = Http.get(edge.port(), "/docs/s", "Cache-Control", "max-stale=3600");
        assertThat(r.body()).isEqualTo("s2");
        origin.verify(2, getRequestedFor(urlEqualTo("/docs/s")));
    }
}
