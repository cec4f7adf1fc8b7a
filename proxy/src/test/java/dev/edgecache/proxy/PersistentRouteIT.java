package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.internal.Buffers;
import dev.edgecache.proxy.metrics.Outcome;
import dev.edgecache.proxy.testing.EdgeServerExtension;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.TestEdge;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Persistent routes end to end: real sockets, real RocksDB, a WireMock origin, a fake clock. */
class PersistentRouteIT {
    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @RegisterExtension
    final EdgeServerExtension edge = new EdgeServerExtension(origin::getPort);

    private void page(String path, int status, String body, String... headers) {
        var response = aResponse().withStatus(status).withBody(body).withHeader("Content-Type", "text/html");
        for (int i = 0; i < headers.length; i += 2) response = response.withHeader(headers[i], headers[i + 1]);
        origin.stubFor(get(path).willReturn(response));
    }

    @Test
    void firstRequestRendersAndStoresThenHitsWithoutOrigin() {
        page("/alice/hello", 200, "<h1>Hello</h1>", "Cache-Tag", "post:alice/hello, user:alice");

        HttpResponse<String> first = Http.get(edge.port(), "/alice/hello");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Cache-Status")).contains("edge; fwd=miss; stored");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).matches("\"[^\"]+\"");

        edge.clock().advance(Duration.ofSeconds(5));
        HttpResponse<String> second = Http.get(edge.port(), "/alice/hello");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo("<h1>Hello</h1>");
        assertThat(second.headers().firstValue("Cache-Status")).contains("edge; hit");
        assertThat(second.headers().firstValue("Age")).contains("5");
        assertThat(second.headers().firstValue("ETag")).contains(etag);
        assertThat(second.headers().firstValue("Content-Type")).contains("text/html");
        assertThat(second.headers().firstValue("Cache-Tag"))
                .as("internal tags are not shown to readers")
                .isEmpty();

        origin.verify(1, getRequestedFor(urlEqualTo("/alice/hello")));
        String route = "/{user}/{slug}";
        assertThat(edge.metrics().requestCount(route, Outcome.MISS_STORED)).isEqualTo(1);
        assertThat(edge.metrics().requestCount(route, Outcome.HIT_MEMORY)).isEqualTo(1);
    }

    @Test
    void equivalentTargetsShareOneEntry() {
        page("/alice/hello", 200, "x");
        Http.get(edge.port(), "/alice/hello");
        HttpResponse<String> r = Http.get(edge.port(), "/alice/./x/../%68ello");
        assertThat(r.headers().firstValue("Cache-Status")).contains("edge; hit");
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/hello")));
    }

    @Test
    void headIsAnsweredFromTheStoreWithLengthAndNoBody() {
        page("/alice/hello", 200, "0123456789");
        HttpResponse<String> head = Http.head(edge.port(), "/alice/hello");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).contains("10");
        assertThat(Http.get(edge.port(), "/alice/hello").body()).isEqualTo("0123456789");
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/hello"))); // the HEAD was rendered as a GET
    }

    @Test
    void matchingValidatorsGet304() {
        page("/alice/hello", 200, "hello", "Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT");
        String etag = Http.get(edge.port(), "/alice/hello")
                .headers()
                .firstValue("ETag")
                .orElseThrow();

        HttpResponse<String> strong = Http.get(edge.port(), "/alice/hello", "If-None-Match", etag);
        assertThat(strong.statusCode()).isEqualTo(304);
        assertThat(strong.body()).isEmpty();
        assertThat(strong.headers().firstValue("ETag")).contains(etag);
        assertThat(Http.get(edge.port(), "/alice/hello", "If-None-Match", "W/" + etag)
                        .statusCode())
                .as("weak comparison, RFC 9110 §13.1.2")
                .isEqualTo(304);
        assertThat(Http.get(edge.port(), "/alice/hello", "If-None-Match", "\"other\"")
                        .statusCode())
                .isEqualTo(200);
        assertThat(Http.get(edge.port(), "/alice/hello", "If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT")
                        .statusCode())
                .isEqualTo(304);
        assertThat(Http.get(edge.port(), "/alice/hello", "If-Modified-Since", "Sat, 05 Nov 1994 08:49:37 GMT")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void anOriginEtagIsKept() {
        page("/alice/tagged", 200, "x", "ETag", "\"v42\"");
        Http.get(edge.port(), "/alice/tagged");
        assertThat(Http.get(edge.port(), "/alice/tagged").headers().firstValue("ETag"))
                .contains("\"v42\"");
    }

    @Test
    void notFoundIsStoredOnlyForTheNegativeTtl() {
        page("/alice/missing", 404, "no such post");
        assertThat(Http.get(edge.port(), "/alice/missing").statusCode()).isEqualTo(404);
        HttpResponse<String> again = Http.get(edge.port(), "/alice/missing");
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.headers().firstValue("Cache-Status")).contains("edge; hit");
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/missing")));

        edge.clock().advance(Duration.ofSeconds(11));
        page("/alice/missing", 200, "published now");
        assertThat(Http.get(edge.port(), "/alice/missing").body()).isEqualTo("published now");
        origin.verify(2, getRequestedFor(urlEqualTo("/alice/missing")));
    }

    @Test
    void permanentRedirectsAreStored() {
        page("/alice/old", 301, "", "Location", "/alice/new");
        Http.get(edge.port(), "/alice/old");
        HttpResponse<String> r = Http.get(edge.port(), "/alice/old");
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(r.headers().firstValue("Location")).contains("/alice/new");
        assertThat(r.headers().firstValue("Cache-Status")).contains("edge; hit");
    }

    @Test
    void serverErrorsPassThroughUnstored() {
        page("/alice/broken", 500, "oops");
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = Http.get(edge.port(), "/alice/broken");
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.headers().firstValue("Cache-Status")).contains("edge; fwd=miss; detail=status-500");
        }
        origin.verify(2, getRequestedFor(urlEqualTo("/alice/broken")));
    }

    @Test
    void aResponseSettingACookieReachesOnlyItsClientAndIsNeverStored() {
        page("/alice/tracked", 200, "hi", "Set-Cookie", "sid=secret; HttpOnly");
        HttpResponse<String> first = Http.get(edge.port(), "/alice/tracked");
        assertThat(first.headers().firstValue("Set-Cookie")).contains("sid=secret; HttpOnly");
        HttpResponse<String> second = Http.get(edge.port(), "/alice/tracked");
        assertThat(second.headers().firstValue("Cache-Status")).contains("edge; fwd=miss; detail=set-cookie");
        origin.verify(2, getRequestedFor(urlEqualTo("/alice/tracked")));
    }

    @Test
    void privateNoStoreAndNoCacheResponsesAreNeverStored() {
        page("/alice/private", 200, "mine", "Cache-Control", "private");
        page("/alice/nostore", 200, "mine", "Cache-Control", "no-store");
        page("/alice/nocache", 200, "mine", "Cache-Control", "no-cache");
        page("/alice/vary", 200, "mine", "Vary", "Accept-Language");
        Map<String, String> why = Map.of( // RFC 9211 §2.8: the detail says which rule kept it out
                "/alice/private", "private",
                "/alice/nostore", "no-store",
                "/alice/nocache", "no-cache",
                "/alice/vary", "vary-accept-language");
        for (String p : why.keySet()) {
            Http.get(edge.port(), p);
            assertThat(Http.get(edge.port(), p).headers().firstValue("Cache-Status"))
                    .as(p)
                    .contains("edge; fwd=miss; detail=" + why.get(p));
            origin.verify(2, getRequestedFor(urlEqualTo(p)));
        }
    }

    @Test
    void cacheableRendersAreAnonymousAndCarryForwardingHeaders() {
        page("/alice/hello", 200, "x");
        Http.get(
                edge.port(),
                "/alice/hello",
                "Cookie",
                "sid=abc",
                "Authorization",
                "Bearer t",
                "X-Forwarded-Host",
                "evil.example",
                "X-Forwarded-For",
                "10.9.8.7",
                "Accept",
                "text/html");
        origin.verify(getRequestedFor(urlEqualTo("/alice/hello"))
                .withHeader("Cookie", absent())
                .withHeader("Authorization", absent())
                .withHeader("X-Forwarded-Host", absent())
                .withHeader("Accept", equalTo("text/html"))
                .withHeader("Via", equalTo("1.1 edge"))
                .withHeader("X-Forwarded-For", equalTo("127.0.0.1")) // issue 8.5: the reader is not a trusted proxy
                .withHeader("X-Forwarded-Proto", equalTo("http"))
                .withHeader("Host", matching("127\\.0\\.0\\.1:\\d+")));
    }

    @Test
    void purgeAndTraceAreRefusedOnTheReaderPort() {
        HttpResponse<String> r = Http.send(java.net.http.HttpRequest.newBuilder(Http.uri(edge.port(), "/alice/hello"))
                .method("PURGE", java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).isPresent();
        origin.verify(0, getRequestedFor(urlEqualTo("/alice/hello")));
    }

    @Test
    void metricsAreOnTheAdminPortBehindTheToken() {
        page("/alice/hello", 200, "x");
        Http.get(edge.port(), "/alice/hello");
        Http.get(edge.port(), "/alice/hello");
        assertThat(Http.get(edge.adminPort(), "/metrics").statusCode()).isEqualTo(401);
        assertThat(Http.get(edge.adminPort(), "/metrics", "Authorization", "Bearer wrong")
                        .statusCode())
                .isEqualTo(401);
        assertThat(Http.get(edge.adminPort(), "/healthz").statusCode()).isEqualTo(200);
        assertThat(Http.get(edge.adminPort(), "/readyz").statusCode()).isEqualTo(200);
        String metrics = Http.get(edge.adminPort(), "/metrics", "Authorization", "Bearer " + TestEdge.TOKEN)
                .body();
        assertThat(metrics).contains("edge_requests_total{outcome=\"hit-memory\",route=\"/{user}/{slug}\"} 1.0");
        assertThat(metrics).contains("edge_requests_total{outcome=\"miss-stored\",route=\"/{user}/{slug}\"} 1.0");
        assertThat(metrics).contains("edge_origin_requests_total{result=\"ok\"} 1.0");
        assertThat(metrics).contains("edge_store_entries{tier=\"memory\"}");
        String allocator = "netty_allocator_memory_used{allocator_type=\""
                + Buffers.ALLOCATOR.getClass().getSimpleName() + "\"";
        double[] direct = metrics.lines()
                .filter(l -> l.startsWith(allocator) && l.contains("memory_type=\"direct\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .toArray();
        assertThat(direct).as("one series for the allocator the channels use").hasSize(1);
        assertThat(direct[0])
                .as("its direct memory, after the channels served requests")
                .isPositive();
    }
}
