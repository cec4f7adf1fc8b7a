package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.common.testing.FakeClock;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.metrics.Outcome;
import dev.edgecache.proxy.testing.Await;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.OriginGate;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.TestEdge;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent misses on one key make one origin request; waiters are bounded in time. */
class CollapsingIT {
    private static final int CLIENTS = 200;

    private static final OriginGate gate = new OriginGate();

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock(gate);

    @TempDir
    Path dir;

    private EdgeServer edge;

    @AfterEach
    void stop() {
        gate.open();
        if (edge != null) edge.close();
    }

    private List<HttpResponse<String>> concurrentGets(String path, int clients) {
        return sendConcurrently(path, clients).stream()
                .map(CompletableFuture::join)
                .toList();
    }

    private List<CompletableFuture<HttpResponse<String>>> sendConcurrently(String path, int clients) {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            calls.add(Http.CLIENT.sendAsync(
                    HttpRequest.newBuilder(Http.uri(edge.port(), path))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        return calls;
    }

    @Test
    void twoHundredConcurrentColdRequestsMakeOneOriginRequest() throws InterruptedException {
        // a long origin timeout: the render is held until every request has arrived, however slow the machine
        edge = EdgeServer.start(
                TestEdge.withOriginTimeout(TestEdge.config(origin.getPort(), dir), Duration.ofSeconds(30)),
                new FakeClock());
        gate.close();
        origin.stubFor(
                get("/alice/hello").willReturn(aResponse().withBody("hello").withTransformers(OriginGate.NAME)));

        var calls = sendConcurrently("/alice/hello", CLIENTS);
        awaitWaiters(CLIENTS - 1);
        gate.open();
        List<HttpResponse<String>> responses =
                calls.stream().map(CompletableFuture::join).toList();

        assertThat(responses).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello");
        });
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/hello")));
        Map<String, Long> statuses = responses.stream()
                .collect(Collectors.groupingBy(
                        r -> r.headers().firstValue("Cache-Status").orElse("?"), Collectors.counting()));
        assertThat(statuses)
                .containsOnly(
                        Map.entry("edge; fwd=miss; stored", 1L),
                        Map.entry("edge; fwd=miss; detail=collapsed", (long) CLIENTS - 1));
        assertThat(edge.metrics().requestCount("/{user}/{slug}", Outcome.MISS_COLLAPSED))
                .isEqualTo(CLIENTS - 1);
    }

    @Test
    void waitersOfAPrivateAnswerMakeTheirOwnRequests() throws InterruptedException {
        edge = EdgeServer.start(
                TestEdge.withOriginTimeout(TestEdge.config(origin.getPort(), dir), Duration.ofSeconds(30)),
                new FakeClock());
        gate.close();
        origin.stubFor(get("/alice/me")
                .willReturn(aResponse()
                        .withBody("you")
                        .withHeader("Set-Cookie", "sid=1")
                        .withTransformers(OriginGate.NAME)));
        int clients = 40; // each makes its own origin request: keep the origin's queue short
        var calls = sendConcurrently("/alice/me", clients);
        awaitWaiters(clients - 1); // all but the leader wait on its render...
        gate.open();
        List<HttpResponse<String>> responses =
                calls.stream().map(CompletableFuture::join).toList();
        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        // ...which, meant for one client, is handed to none of them: each makes its own request
        int requests = origin.findAll(getRequestedFor(urlEqualTo("/alice/me"))).size();
        assertThat(requests).isEqualTo(clients);
    }

    private void awaitWaiters(int n) {
        Await.until(
                Duration.ofSeconds(20),
                n + " requests waiting on the render",
                () -> edge.metrics()
                                .registry()
                                .get(EdgeMetrics.COALESCED_WAITERS)
                                .counter()
                                .count()
                        == n);
    }

    @Test
    void waitersGiveUpAfterTheOriginTimeoutWith504() throws InterruptedException {
        edge = EdgeServer.start(
                TestEdge.withOriginTimeout(TestEdge.config(origin.getPort(), dir), Duration.ofSeconds(1)),
                new FakeClock());
        origin.stubFor(
                get("/alice/slow").willReturn(aResponse().withBody("late").withFixedDelay(3000)));
        List<HttpResponse<String>> responses = concurrentGets("/alice/slow", CLIENTS);
        Map<Integer, Long> codes =
                responses.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertThat(codes).containsOnlyKeys(504);
        assertThat(responses.get(0).headers().firstValue("Cache-Status"))
                .contains("edge; fwd=miss; detail=origin-timeout");
        // one fetch for everyone who arrived while it was in flight (stragglers on a loaded box may start another)
        assertThat(origin.findAll(getRequestedFor(urlEqualTo("/alice/slow"))).size())
                .isBetween(1, 3);
    }
}
