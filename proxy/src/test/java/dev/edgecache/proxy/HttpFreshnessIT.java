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
import dev.edgecache.proxy.testing.EdgeServerExtension;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11, items 3, 6 and 7 end to end on an http route: the origin's {@code Age} on misses and hits (RFC 9111
 * §4.2.3, §5.1), a 304 that updates the stored fields and freshness (§3.2, §4.3.4), {@code CDN-Cache-Control}
 * over {@code Cache-Control} (RFC 9213 §2.1), withheld fields (§5.2.2.4) and a status with explicit freshness (§3).
 */
class HttpFreshnessIT {
    static final String ROUTES = """
            - {match: /docs/**, mode: http}
            """;
    /** The fake clock's start, as an HTTP-date: what the scripted origin says its Date is. */
    static final String DATE = "Thu, 01 Jan 2026 00:00:00 GMT";

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @RegisterExtension
    final EdgeServerExtension edge = new EdgeServerExtension(origin::getPort, ROUTES);

    static ResponseDefinitionBuilder page(int status, String body, String... headers) {
        ResponseDefinitionBuilder r =
                aResponse().withStatus(status).withBody(body).withHeader("Date", DATE);
        for (int i = 0; i < headers.length; i += 2) r = r.withHeader(headers[i], headers[i + 1]);
        return r;
    }

    private static String status(HttpResponse<String> r) {
        return r.headers().firstValue("Cache-Status").orElse("");
    }

    private static String age(HttpResponse<String> r) {
        return r.headers().firstValue("Age").orElse("none");
    }

    @Test
    void theOriginsAgeIsPassedOnAMissAndCountedOnEveryHit() { // RFC 9111 §4.2.3, §5.1
        origin.stubFor(get("/docs/age").willReturn(page(200, "aged", "Cache-Control", "max-age=600", "Age", "30")));
        HttpResponse<String> miss = Http.get(edge.port(), "/docs/age");
        assertThat(status(miss)).isEqualTo("edge; fwd=miss; stored");
        assertThat(age(miss)).as("the age it came with").isEqualTo("30");

        edge.clock().advance(Duration.ofSeconds(5));
        HttpResponse<String> hit = Http.get(edge.port(), "/docs/age");
        assertThat(status(hit)).isEqualTo("edge; hit");
        assertThat(age(hit)).as("30 at arrival plus 5 resident").isEqualTo("35");
        assertThat(hit.headers().firstValue("Date")).as("Date is not updated").contains(DATE);

        edge.clock().advance(Duration.ofSeconds(570)); // age 605 > max-age 600: stale, and no validator
        assertThat(status(Http.get(edge.port(), "/docs/age"))).isNotEqualTo("edge; hit");
        origin.verify(2, getRequestedFor(urlEqualTo("/docs/age")));
    }

    @Test
    void aResponseOlderThanItsLifetimeOnArrivalIsNotReused() { // RFC 9111 §4.2.3 (freshness-max-age-age)
        origin.stubFor(get("/docs/old").willReturn(page(200, "old", "Cache-Control", "max-age=3600", "Age", "7200")));
        HttpResponse<String> first = Http.get(edge.port(), "/docs/old");
        assertThat(age(first)).as("relayed with the origin's Age").isEqualTo("7200");
        assertThat(status(Http.get(edge.port(), "/docs/old"))).isEqualTo("edge; fwd=miss; detail=stale");
        origin.verify(2, getRequestedFor(urlEqualTo("/docs/old")));
    }

    @Test
    void a304UpdatesTheStoredFieldsAndFreshnessButNotTheBody() { // RFC 9111 §3.2, §4.3.4
        origin.stubFor(get("/docs/up")
                .willReturn(page(
                        200,
                        "version one",
                        "Cache-Control",
                        "max-age=60",
                        "ETag",
                        "\"v1\"",
                        "Test-Header",
                        "A",
                        "Content-Type",
                        "text/plain")));
        assertThat(status(Http.get(edge.port(), "/docs/up"))).isEqualTo("edge; fwd=miss; stored");

        edge.clock().advance(Duration.ofSeconds(120));
        origin.stubFor(get("/docs/up")
                .withHeader("If-None-Match", equalTo("\"v1\""))
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(304)
                        .withHeader("Date", "Thu, 01 Jan 2026 00:02:00 GMT")
                        .withHeader("ETag", "\"v1\"")
                        .withHeader("Cache-Control", "max-age=3600")
                        .withHeader("Test-Header", "B")));
        HttpResponse<String> revalidated = Http.get(edge.port(), "/docs/up");
        assertThat(revalidated.statusCode()).isEqualTo(200);
        assertThat(revalidated.body()).isEqualTo("version one");
        assertThat(status(revalidated)).isEqualTo("edge; fwd=stale; fwd-status=304; stored");
        assertThat(revalidated.headers().firstValue("Test-Header")).contains("B");
        assertThat(revalidated.headers().firstValue("Content-Type")).as("kept").contains("text/plain");
        assertThat(revalidated.headers().firstValue("Content-Length")).contains("11");

        edge.clock().advance(Duration.ofSeconds(600)); // past the old max-age=60, inside the new 3600
        HttpResponse<String> hit = Http.get(edge.port(), "/docs/up");
        assertThat(status(hit)).isEqualTo("edge; hit");
        assertThat(hit.headers().firstValue("Test-Header")).contains("B");
        assertThat(hit.headers().firstValue("Cache-Control")).contains("max-age=3600");
        assertThat(age(hit)).as("counted from the 304's Date").isEqualTo("600");
        origin.verify(1, getRequestedFor(urlEqualTo("/docs/up")).withHeader("If-None-Match", absent()));
        origin.verify(1, getRequestedFor(urlEqualTo("/docs/up")).withHeader("If-None-Match", equalTo("\"v1\"")));
    }

    @Test
    void cdnCacheControlReplacesCacheControlAndIsForwarded() { // RFC 9213 §2.1, §3
        origin.stubFor(get("/docs/cdn")
                .willReturn(page(200, "cdn", "Cache-Control", "no-store", "CDN-Cache-Control", "max-age=600")));
        assertThat(status(Http.get(edge.port(), "/docs/cdn"))).isEqualTo("edge; fwd=miss; stored");
        HttpResponse<String> hit = Http.get(edge.port(), "/docs/cdn");
        assertThat(status(hit)).isEqualTo("edge; hit");
        assertThat(hit.headers().firstValue("Cache-Control"))
                .as("for the caches after us")
                .contains("no-store");
        assertThat(hit.headers().firstValue("CDN-Cache-Control")).contains("max-age=600");
        origin.verify(1, getRequestedFor(urlEqualTo("/docs/cdn")));
    }

    @Test
    void fieldsListedInNoCacheAreNotServedFromTheStore() { // RFC 9111 §5.2.2.4
        origin.stubFor(get("/docs/nc-field")
                .willReturn(page(
                        200,
                        "page",
                        "Cache-Control",
                        "max-age=600, no-cache=\"X-Token\"",
                        "X-Token",
                        "t1",
                        "X-Page",
                        "p")));
        HttpResponse<String> miss = Http.get(edge.port(), "/docs/nc-field");
        assertThat(status(miss)).isEqualTo("edge; fwd=miss; stored");
        assertThat(miss.headers().firstValue("X-Token"))
                .as("the reader it was fetched for")
                .contains("t1");
        HttpResponse<String> hit = Http.get(edge.port(), "/docs/nc-field");
        assertThat(status(hit)).isEqualTo("edge; hit");
        assertThat(hit.headers().firstValue("X-Token")).isEmpty();
        assertThat(hit.headers().firstValue("X-Page")).contains("p");
    }

    @Test
    void anyFinalStatusWithExplicitFreshnessIsStored() { // RFC 9111 §3 (status-599-fresh)
        origin.stubFor(get("/docs/599").willReturn(page(599, "odd", "Cache-Control", "max-age=600")));
        Http.get(edge.port(), "/docs/599");
        HttpResponse<String> hit = Http.get(edge.port(), "/docs/599");
        assertThat(hit.statusCode()).isEqualTo(599);
        assertThat(status(hit)).isEqualTo("edge; hit");
        origin.verify(1, getRequestedFor(urlEqualTo("/docs/599")));
    }
}
