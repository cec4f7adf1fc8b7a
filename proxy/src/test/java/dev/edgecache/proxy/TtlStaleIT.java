package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.metrics.Outcome;
import dev.edgecache.proxy.testing.Await;
import dev.edgecache.proxy.testing.EdgeServerExtension;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.OriginGate;
import dev.edgecache.proxy.testing.Origins;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TTL routes past their ttl: stale-while-revalidate (RFC 5861 §3), stale-if-error (RFC 5861 §4), conditional
 * refresh (RFC 9111 §4.3) and per-route render deadlines.
 */
class TtlStaleIT {
    private static final String ROUTES = """
            - {match: "/{user}/posts", mode: ttl, ttl: 60s, stale-while-revalidate: 5m, stale-if-error: 1h}
            - {match: "/{user}/feed.xml", mode: ttl, ttl: 60s, render-timeout: 300ms}
            - {match: "/{user}", mode: ttl, ttl: 60s}
            """;

    private static final OriginGate gate = new OriginGate();

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock(gate);

    @RegisterExtension
    final EdgeServerExtension edge = new EdgeServerExtension(origin::getPort, ROUTES);

    @AfterEach
    void releaseHeldAnswers() {
        gate.open();
    }

    private HttpResponse<String> read(String path, String... headers) {
        return Http.get(edge.port(), path, headers);
    }

    private static String status(HttpResponse<String> r) {
        return r.headers().firstValue("Cache-Status").orElse("");
    }

    @Test
    void withinStaleWhileRevalidateAHundredStaleReadersGetTheOldListAndOneRefreshRuns() {
        origin.stubFor(get("/alice/posts").willReturn(ok("old")));
        read("/alice/posts");
        edge.clock().advance(Duration.ofSeconds(61));
        gate.close(); // the refresh stays in flight until every stale reader has its answer
        origin.stubFor(get("/alice/posts").willReturn(ok("new").withTransformers(OriginGate.NAME)));

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(Http.CLIENT.sendAsync(
                    HttpRequest.newBuilder(Http.uri(edge.port(), "/alice/posts"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (var c : calls) {
            HttpResponse<String> r = c.join();
            assertThat(r.body()).isEqualTo("old");
            assertThat(status(r)).isEqualTo("edge; hit; fwd=stale");
        }
        assertThat(edge.metrics().requestCount("/{user}/posts", Outcome.HIT_STALE))
                .isEqualTo(100);
        gate.open();
        Await.until(
                Duration.ofSeconds(10),
                "the refresh",
                () -> read("/alice/posts").body().equals("new"));
        assertThat(origin.findAll(getRequestedFor(urlEqualTo("/alice/posts"))))
                .as(
                        "origin requests: %s",
                        origin.getAllServeEvents().stream()
                                .map(e -> e.getRequest().getLoggedDate().toInstant() + " "
                                        + e.getRequest().getUrl() + " inm="
                                        + e.getRequest().getHeader("If-None-Match") + " resp="
                                        + e.getResponse().getStatus())
                                .toList())
                .hasSize(2);
    }

    @Test
    void pastTheStaleWindowTheRefreshIsSynchronous() {
        origin.stubFor(get("/alice/posts").willReturn(ok("old")));
        read("/alice/posts");
        edge.clock().advance(Duration.ofSeconds(60 + 301));
        origin.stubFor(get("/alice/posts").willReturn(ok("new")));
        HttpResponse<String> r = read("/alice/posts");
        assertThat(r.body()).isEqualTo("new");
        assertThat(status(r)).isEqualTo("edge; fwd=stale; stored");
    }

    @Test
    void aFailedRefreshServesTheStoredPageWithinStaleIfError() {
        origin.stubFor(get("/alice/posts").willReturn(ok("good")));
        read("/alice/posts");
        edge.clock().advance(Duration.ofMinutes(10)); // past ttl and stale-while-revalidate, inside stale-if-error

        origin.stubFor(get("/alice/posts").willReturn(serverError().withBody("boom")));
        HttpResponse<String> on500 = read("/alice/posts");
        assertThat(on500.statusCode()).isEqualTo(200);
        assertThat(on500.body()).isEqualTo("good");
        assertThat(status(on500)).isEqualTo("edge; hit; fwd=stale; detail=origin-error");

        origin.stubFor(get("/alice/posts").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThat(read("/alice/posts").body()).isEqualTo("good");

        origin.stubFor(get("/alice/posts").willReturn(ok("back")));
        assertThat(read("/alice/posts").body())
                .as("a failed refresh never replaced the good page")
                .isEqualTo("back");
    }

    @Test
    void pastStaleIfErrorAFailedRefreshIsAnError() {
        origin.stubFor(get("/alice/posts").willReturn(ok("good")));
        read("/alice/posts");
        edge.clock().advance(Duration.ofHours(2));
        origin.stubFor(get("/alice/posts").willReturn(serverError()));
        assertThat(read("/alice/posts").statusCode()).isEqualTo(500);
    }

    @Test
    void routesWithoutStaleIfErrorDoNotServeStaleOnError() {
        origin.stubFor(get("/alice").willReturn(ok("profile")));
        read("/alice");
        edge.clock().advance(Duration.ofSeconds(61));
        origin.stubFor(get("/alice").willReturn(serverError()));
        assertThat(read("/alice").statusCode()).isEqualTo(500);
    }

    @Test
    void theRefreshIsConditionalAnd304KeepsTheBodyWithNewFreshness() {
        origin.stubFor(get("/alice")
                .willReturn(ok("profile v1")
                        .withHeader("ETag", "\"p1\"")
                        .withHeader("Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT")
                        .withHeader("X-Version", "1")));
        read("/alice");
        edge.clock().advance(Duration.ofSeconds(61));
        origin.stubFor(get("/alice")
                .withHeader("If-None-Match", equalTo("\"p1\""))
                .willReturn(
                        aResponse().withStatus(304).withHeader("ETag", "\"p1\"").withHeader("X-Version", "2")));

        HttpResponse<String> r = read("/alice");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("profile v1");
        assertThat(r.headers().firstValue("X-Version")).contains("2"); // headers updated, RFC 9111 §4.3.4
        assertThat(status(r)).isEqualTo("edge; fwd=stale; fwd-status=304; stored");
        origin.verify(getRequestedFor(urlEqualTo("/alice"))
                .withHeader("If-None-Match", equalTo("\"p1\""))
                .withHeader("If-Modified-Since", equalTo("Sun, 06 Nov 1994 08:49:37 GMT")));
        assertThat(status(read("/alice"))).as("fresh again for ttl").isEqualTo("edge; hit");
    }

    @Test
    void theRefreshOfAWeaklyTaggedPageSendsTheOriginsOwnTagAndKeepsServingIt() { // RFC 9111 §4.3.1, RFC 9110 §13.1.2
        origin.stubFor(get("/carol").willReturn(ok("carol v1").withHeader("ETag", "W/\"v1\"")));
        HttpResponse<String> first = read("/carol");
        assertThat(first.headers().firstValue("ETag"))
                .as("the origin's tag, verbatim")
                .contains("W/\"v1\"");
        edge.clock().advance(Duration.ofSeconds(61));
        origin.stubFor(get("/carol")
                .withHeader("If-None-Match", equalTo("W/\"v1\""))
                .willReturn(aResponse().withStatus(304).withHeader("ETag", "W/\"v1\"")));

        HttpResponse<String> r = read("/carol");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("carol v1");
        assertThat(r.headers().allValues("ETag")).containsExactly("W/\"v1\"");
        assertThat(status(r)).isEqualTo("edge; fwd=stale; fwd-status=304; stored");
        origin.verify(1, getRequestedFor(urlEqualTo("/carol")).withHeader("If-None-Match", equalTo("W/\"v1\"")));
        origin.verify(1, getRequestedFor(urlEqualTo("/carol")).withHeader("If-None-Match", absent()));

        HttpResponse<String> validated = read("/carol", "If-None-Match", "W/\"v1\"");
        assertThat(validated.statusCode())
                .as("weak comparison for the reader too")
                .isEqualTo(304);
        assertThat(validated.headers().allValues("ETag")).containsExactly("W/\"v1\"");
        assertThat(status(validated)).isEqualTo("edge; hit");
    }

    @Test
    void a304WithANewTagUpdatesTheStoredOneAndAPageWithoutOneIsNeverConditionalOnOurs() { // RFC 9111 §4.3.4
        String lastModified = "Sun, 06 Nov 1994 08:49:37 GMT";
        origin.stubFor(get("/dave").willReturn(ok("dave").withHeader("Last-Modified", lastModified)));
        String ours = read("/dave").headers().firstValue("ETag").orElseThrow();
        edge.clock().advance(Duration.ofSeconds(61));
        origin.stubFor(get("/dave")
                .withHeader("If-Modified-Since", equalTo(lastModified))
                .willReturn(aResponse().withStatus(304).withHeader("ETag", "W/\"d2\"")));
        HttpResponse<String> r = read("/dave");
        assertThat(r.body()).isEqualTo("dave");
        assertThat(status(r)).isEqualTo("edge; fwd=stale; fwd-status=304; stored");
        assertThat(r.headers().allValues("ETag")).containsExactly("W/\"d2\"");
        origin.verify(2, getRequestedFor(urlEqualTo("/dave")).withHeader("If-None-Match", absent()));
        origin.verify(0, getRequestedFor(urlEqualTo("/dave")).withHeader("If-None-Match", equalTo(ours)));

        edge.clock().advance(Duration.ofSeconds(61));
        read("/dave");
        origin.verify(1, getRequestedFor(urlEqualTo("/dave")).withHeader("If-None-Match", equalTo("W/\"d2\"")));
    }

    @Test
    void firstRendersAreNeverConditional() {
        origin.stubFor(get("/bob").willReturn(ok("bob")));
        read("/bob");
        origin.verify(getRequestedFor(urlEqualTo("/bob")).withHeader("If-None-Match", absent()));
    }

    @Test
    void aRouteCanHaveItsOwnRenderDeadline() {
        origin.stubFor(get("/alice/feed.xml").willReturn(ok("<feed/>").withFixedDelay(1500)));
        long start = System.nanoTime();
        HttpResponse<String> r = read("/alice/feed.xml");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1400));
    }
}
