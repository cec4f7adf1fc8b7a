package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.common.testing.FakeClock;
import dev.edgecache.proxy.metrics.Outcome;
import dev.edgecache.proxy.testing.Http;
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

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    Path dir;

    private EdgeServer edge;

    @AfterEach
    void stop() {
        if (edge != null) edge.close();
    }

    private List<HttpResponse<String>> concurrentGets(String path, int clients) {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            calls.add(Http.CLIENT.sendAsync(
                    HttpRequest.newBuilder(Http.uri(edge.port(), path))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        return calls.stream().map(CompletableFuture::join).toList();
    }

    @Test
    void twoHundredConcurrentColdRequestsMakeOneOriginRequest() throws InterruptedException {
        edge = EdgeServer.start(TestEdge.config(origin.getPort(), dir), new FakeClock());
        // the delay keeps the first fetch in flight while the other requests arrive
        origin.stubFor(
                get("/alice/hello").willReturn(aResponse().withBody("hello").withFixedDelay(1000)));

        List<HttpResponse<String>> responses = concurrentGets("/alice/hello", CLIENTS);

        assertThat(responses).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello");
        });
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/hello")));
        Map<String, Long> statuses = responses.stream()
                .collect(Collectors.groupingBy(
                        r -> r.headers().firstValue("Cache-Status").orElse("?"), Collectors.counting()));
        // whoever came before the store write completed waited on the one fetch; later ones hit
        assertThat(statuses.get("edge; fwd=miss; stored")).isEqualTo(1);
        String route = "/{user}/{slug}";
        double collapsed = edge.metrics().requestCount(route, Outcome.MISS_COLLAPSED);
        double hits = edge.metrics().requestCount(route, Outcome.HIT_MEMORY)
                + edge.metrics().requestCount(route, Outcome.HIT_DISK);
        assertThat(collapsed + hits).isEqualTo(CLIENTS - 1);
        assertThat(collapsed).isPositive();
    }

    @Test
    void waitersOfAPrivateAnswerMakeTheirOwnRequests() throws InterruptedException {
        edge = EdgeServer.start(TestEdge.config(origin.getPort(), dir), new FakeClock());
        origin.stubFor(get("/alice/me")
                .willReturn(aResponse()
                        .withBody("you")
                        .withHeader("Set-Cookie", "sid=1")
                        .withFixedDelay(100)));
        int clients = 40; // each makes its own origin request: keep the origin's queue short
        List<HttpResponse<String>> responses = concurrentGets("/alice/me", clients);
        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        // every client got an answer rendered for it, none was handed another's Set-Cookie response
        int requests = origin.findAll(getRequestedFor(urlEqualTo("/alice/me"))).size();
        assertThat(requests).isEqualTo(clients);
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
