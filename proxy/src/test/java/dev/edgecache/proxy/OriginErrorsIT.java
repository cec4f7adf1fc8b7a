package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.common.config.OriginConfig;
import dev.edgecache.common.testing.FakeClock;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.testing.Await;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.OriginGate;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.TestEdge;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8: an error made for one reader's request is not handed to the readers collapsed onto it (CPDoS), and an
 * origin in trouble is not asked again by every reader (per-page error backoff, per-origin circuit breaker).
 */
class OriginErrorsIT {
    private static final OriginGate gate = new OriginGate();

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock(gate);

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock();
    private EdgeServer edge;

    @AfterEach
    void stop() {
        gate.open();
        if (edge != null) edge.close();
    }

    private void start(Duration errorBackoff, int circuitFailures) throws InterruptedException {
        var base = TestEdge.config(origin.getPort(), dir);
        edge = EdgeServer.start(
                TestEdge.withOrigin(
                        base,
                        new OriginConfig(
                                URI.create("http://127.0.0.1:" + origin.getPort()),
                                null,
                                Duration.ofSeconds(30),
                                null,
                                null,
                                errorBackoff,
                                circuitFailures,
                                Duration.ofSeconds(60),
                                null)),
                clock);
    }

    private CompletableFuture<HttpResponse<String>> getAsync(String path, String userAgent) {
        return Http.CLIENT.sendAsync(
                HttpRequest.newBuilder(Http.uri(edge.port(), path))
                        .header("User-Agent", userAgent)
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private double counter(String name, String reason) {
        var c = edge.metrics().registry().find(name);
        return reason == null
                ? c.counter().count()
                : c.tag("reason", reason).counter().count();
    }

    @Test
    void anErrorCausedByOneReadersRequestIsNotServedToTheReadersCollapsedOntoIt() throws Exception {
        start(Duration.ZERO, 0);
        gate.close();
        origin.stubFor(get("/alice/hello")
                .withHeader("User-Agent", containing("evil"))
                .willReturn(aResponse().withStatus(400).withBody("bad header").withTransformers(OriginGate.NAME)));
        origin.stubFor(get("/alice/hello").atPriority(10).willReturn(ok("hello")));

        CompletableFuture<HttpResponse<String>> attacker = getAsync("/alice/hello", "evil/1.0");
        Await.until(Duration.ofSeconds(10), "the attacker's render to reach the origin", () -> gate.held() == 1);
        List<CompletableFuture<HttpResponse<String>>> readers = new ArrayList<>();
        for (int i = 0; i < 9; i++) readers.add(getAsync("/alice/hello", "Mozilla/5.0"));
        Await.until(
                Duration.ofSeconds(10),
                "9 readers collapsed onto the attacker's render",
                () -> counter(EdgeMetrics.COALESCED_WAITERS, null) == 9);
        gate.open();

        assertThat(attacker.join().statusCode()).isEqualTo(400);
        for (var r : readers) {
            assertThat(r.join().statusCode()).isEqualTo(200);
            assertThat(r.join().body()).isEqualTo("hello");
        }
    }

    @Test
    void aPageWhoseRenderFailedIsNotAskedForAgainWithinTheBackoff() throws Exception {
        start(Duration.ofSeconds(2), 0);
        origin.stubFor(get("/alice/down").willReturn(aResponse().withStatus(503).withBody("down")));

        assertThat(Http.get(edge.port(), "/alice/down").statusCode()).isEqualTo(503); // the origin's own answer
        HttpResponse<String> heldBack = Http.get(edge.port(), "/alice/down");
        assertThat(heldBack.statusCode()).isEqualTo(503);
        assertThat(heldBack.headers().firstValue("Retry-After")).contains("1");
        assertThat(heldBack.headers().firstValue("Cache-Status")).contains("edge; detail=origin-held-back");
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/down")));
        assertThat(counter(EdgeMetrics.ORIGIN_HELD_BACK, "backoff")).isEqualTo(1);

        assertThat(Http.get(edge.port(), "/alice/other-page").statusCode()).isEqualTo(404); // other pages still go
        clock.advance(Duration.ofSeconds(3));
        origin.stubFor(get("/alice/down").willReturn(ok("back")));
        assertThat(Http.get(edge.port(), "/alice/down").body()).isEqualTo("back");
    }

    @Test
    void afterRepeatedFailuresTheCircuitOpensAndStoredPagesAreStillServed() throws Exception {
        start(Duration.ZERO, 3);
        origin.stubFor(get("/alice/stored").willReturn(ok("stored")));
        assertThat(Http.get(edge.port(), "/alice/stored").body()).isEqualTo("stored");
        origin.stubFor(get(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(502)));
        for (int i = 0; i < 3; i++) {
            assertThat(Http.get(edge.port(), "/api/fail-" + i).statusCode()).isEqualTo(502);
        }
        origin.resetRequests();

        HttpResponse<String> refused = Http.get(edge.port(), "/alice/new");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(Http.get(edge.port(), "/alice/stored").body()).isEqualTo("stored");
        origin.verify(0, anyRequestedFor(anyUrl()));
        assertThat(counter(EdgeMetrics.ORIGIN_HELD_BACK, "circuit-open")).isEqualTo(1);
        assertThat(edge.metrics()
                        .registry()
                        .get(EdgeMetrics.ORIGIN_CIRCUIT_STATE)
                        .gauge()
                        .value())
                .isEqualTo(1);
    }
}
