package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.common.testing.FakeClock;
import dev.edgecache.proxy.metrics.Outcome;
import dev.edgecache.proxy.testing.Admin;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.TestEdge;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Issue 5: the configured key rules, end to end: query sorting and dropping, duplicate slashes, sites. */
class KeyRulesIT {
    private static final String ROUTE = "/{user}/{slug}";
    private static final String RULES = """
            sites: [blog.example, www.blog.example]
            query:
              drop: [utm_*, fbclid]
            """;

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    Path dir;

    private EdgeServer edge;

    private void start(String topLevel) throws InterruptedException {
        edge = EdgeServer.start(
                TestEdge.config(origin.getPort(), dir, TestEdge.DEFAULT_ROUTES, topLevel), new FakeClock());
        origin.stubFor(any(anyUrl())
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/plain")
                        .withBody("page")));
    }

    @AfterEach
    void stop() {
        if (edge != null) edge.close();
    }

    @Test
    void sortedAndDroppedParametersShareOneEntryAndNeverReachTheOrigin() throws InterruptedException {
        start(RULES);

        var first = Http.raw(
                edge.port(), get("/alice/hello?b=2&a=1&utm_source=news", "blog.example"), Duration.ofMillis(500));
        var second = Http.raw(
                edge.port(),
                get("/alice/hello?fbclid=x&a=1&b=2&utm_medium=mail", "blog.example"),
                Duration.ofMillis(500));
        var third = Http.raw(edge.port(), get("/alice//hello?a=1&b=2", "BLOG.EXAMPLE:80"), Duration.ofMillis(500));

        assertThat(first.text()).contains("Cache-Status: edge; fwd=miss; stored");
        assertThat(second.text()).contains("Cache-Status: edge; hit");
        assertThat(third.text()).as("host case, default port and // normalised").contains("Cache-Status: edge; hit");
        origin.verify(1, getRequestedFor(urlPathEqualTo("/alice/hello")));
        origin.verify(
                1,
                getRequestedFor(urlEqualTo("/alice/hello?a=1&b=2"))
                        .withHeader("X-Forwarded-Host", equalTo("blog.example")));
        assertThat(edge.metrics().requestCount(ROUTE, Outcome.HIT_MEMORY)).isEqualTo(2);
    }

    @Test
    void eachSiteHasItsOwnEntriesAndAnUnknownHostIsMisdirected() throws InterruptedException {
        start(RULES);

        Http.raw(edge.port(), get("/alice/hello", "blog.example"), Duration.ofMillis(500));
        var www = Http.raw(edge.port(), get("/alice/hello", "www.blog.example"), Duration.ofMillis(500));
        var unknown = Http.raw(edge.port(), get("/alice/hello", "evil.example"), Duration.ofMillis(500));

        assertThat(www.text()).contains("Cache-Status: edge; fwd=miss; stored");
        assertThat(unknown.statusLine()).isEqualTo("HTTP/1.1 421 Misdirected Request"); // RFC 9110 §15.5.20
        origin.verify(2, getRequestedFor(urlEqualTo("/alice/hello")));
        origin.verify(
                1,
                getRequestedFor(urlEqualTo("/alice/hello"))
                        .withHeader("X-Forwarded-Host", equalTo("www.blog.example")));
    }

    @Test
    void unknownHostsCanBeServedAsTheFirstSite() throws InterruptedException {
        start(RULES + "unknown-host: default\n");

        Http.raw(edge.port(), get("/alice/hello", "blog.example"), Duration.ofMillis(500));
        var other = Http.raw(edge.port(), get("/alice/hello", "203.0.113.7"), Duration.ofMillis(500));

        assertThat(other.text()).contains("Cache-Status: edge; hit");
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/hello")));
    }

    @Test
    void purgeByUrlRemovesThePageOfEverySite() throws InterruptedException {
        start(RULES);
        Http.raw(edge.port(), get("/alice/hello", "blog.example"), Duration.ofMillis(500));
        Http.raw(edge.port(), get("/alice/hello", "www.blog.example"), Duration.ofMillis(500));

        var purged = new Admin(edge.adminPort()).postJson("/purge", "{\"urls\":[\"/alice/hello?utm_source=x\"]}");

        assertThat(purged.get("purged").asInt()).isEqualTo(2);
        var again = Http.raw(edge.port(), get("/alice/hello", "www.blog.example"), Duration.ofMillis(500));
        assertThat(again.text()).contains("Cache-Status: edge; fwd=miss; stored");
    }

    @Test
    void withoutSitesTheHostIsIgnoredAsBefore() throws InterruptedException {
        start("");

        Http.raw(edge.port(), get("/alice/hello?utm_source=x", "a.example"), Duration.ofMillis(500));
        var other = Http.raw(edge.port(), get("/alice/hello?utm_source=x", "b.example"), Duration.ofMillis(500));

        assertThat(other.text()).contains("Cache-Status: edge; hit");
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/hello?utm_source=x")));
    }

    private static String get(String target, String host) {
        return "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
    }
}
