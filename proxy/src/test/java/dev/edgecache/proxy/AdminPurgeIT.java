package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.metrics.Outcome;
import dev.edgecache.proxy.testing.Admin;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POST /purge end to end: by URL, prefix, tag and all; soft; dry run; fenced against renders in flight. */
class AdminPurgeIT {
    private static final OriginGate gate = new OriginGate();

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock(gate);

    @RegisterExtension
    final EdgeServerExtension edge = new EdgeServerExtension(origin::getPort);

    private Admin admin;

    @AfterEach
    void releaseHeldAnswers() {
        gate.open();
    }

    @BeforeEach
    void start() throws InterruptedException {
        admin = new Admin(edge.adminPort());
        for (String p : List.of("/alice/hello", "/alice/second", "/bob/hello")) {
            String user = p.split("/")[1];
            origin.stubFor(get(p).willReturn(
                            ok("page " + p).withHeader("Cache-Tag", "post:" + p.substring(1) + ", user:" + user)));
        }
    }

    private String status(String path) {
        return Http.get(edge.port(), path).headers().firstValue("Cache-Status").orElseThrow();
    }

    private void warm(String... paths) {
        for (String p : paths) assertThat(status(p)).isEqualTo("edge; fwd=miss; stored");
    }

    @Test
    void purgeByUrlIsVisibleToTheVeryNextRequest() {
        warm("/alice/hello", "/bob/hello");
        JsonNode r = admin.postJson("/purge", "{\"urls\":[\"/alice/hello\"]}");
        assertThat(r.get("purged").asInt()).isEqualTo(1);
        assertThat(status("/alice/hello")).isEqualTo("edge; fwd=miss; stored");
        assertThat(status("/bob/hello")).isEqualTo("edge; hit");
        origin.verify(2, getRequestedFor(urlEqualTo("/alice/hello")));
    }

    @Test
    void purgeByPrefixAndByTag() {
        warm("/alice/hello", "/alice/second", "/bob/hello");
        assertThat(admin.postJson("/purge", "{\"prefixes\":[\"/alice/\"]}")
                        .get("purged")
                        .asInt())
                .isEqualTo(2);
        assertThat(status("/bob/hello")).isEqualTo("edge; hit");
        warm("/alice/hello", "/alice/second");
        assertThat(admin.postJson("/purge", "{\"tags\":[\"user:bob\"]}")
                        .get("purged")
                        .asInt())
                .isEqualTo(1);
        assertThat(status("/bob/hello")).isEqualTo("edge; fwd=miss; stored");
        assertThat(status("/alice/hello")).isEqualTo("edge; hit");
    }

    @Test
    void theTagIndexSurvivesARestart() throws InterruptedException {
        warm("/alice/hello", "/alice/second", "/bob/hello");
        edge.restart();
        admin = new Admin(edge.adminPort());
        assertThat(admin.postJson("/purge", "{\"tags\":[\"user:alice\"]}")
                        .get("purged")
                        .asInt())
                .isEqualTo(2);
        assertThat(status("/alice/second")).isEqualTo("edge; fwd=miss; stored");
        assertThat(status("/bob/hello")).isEqualTo("edge; hit");
    }

    @Test
    void aDryRunListsWhatWouldGoAndTouchesNothing() {
        warm("/alice/hello", "/alice/second");
        JsonNode r = admin.postJson("/purge", "{\"tags\":[\"user:alice\"],\"dry-run\":true}");
        assertThat(r.get("purged").asInt()).isEqualTo(2);
        assertThat(r.get("keys").toString()).contains("initial:/alice/hello", "initial:/alice/second");
        assertThat(status("/alice/hello")).isEqualTo("edge; hit");
    }

    @Test
    void purgeAllEmptiesTheCache() {
        warm("/alice/hello", "/bob/hello");
        assertThat(admin.postJson("/purge", "{\"all\":true}").get("purged").asInt())
                .isEqualTo(2);
        assertThat(status("/bob/hello")).isEqualTo("edge; fwd=miss; stored");
    }

    @Test
    void aSoftPurgeServesStaleWhileExactlyOneRefreshRunsForAHundredConcurrentRequests() {
        warm("/alice/hello");
        gate.close(); // the refresh stays in flight until every stale reader has its answer
        origin.stubFor(get("/alice/hello").willReturn(ok("refreshed").withTransformers(OriginGate.NAME)));
        assertThat(admin.postJson("/purge", "{\"urls\":[\"/alice/hello\"],\"soft\":true}")
                        .get("purged")
                        .asInt())
                .isEqualTo(1);

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(Http.CLIENT.sendAsync(
                    HttpRequest.newBuilder(Http.uri(edge.port(), "/alice/hello"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (var c : calls) {
            HttpResponse<String> r = c.join();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("page /alice/hello"); // the stale page, at once
            assertThat(r.headers().firstValue("Cache-Status")).contains("edge; hit; fwd=stale");
        }
        assertThat(edge.metrics().requestCount("/{user}/{slug}", Outcome.HIT_STALE))
                .isEqualTo(100);
        gate.open();
        Await.until(
                Duration.ofSeconds(10),
                "the refresh to be stored",
                () -> Http.get(edge.port(), "/alice/hello").body().equals("refreshed"));
        origin.verify(2, getRequestedFor(urlEqualTo("/alice/hello"))); // the first render and one refresh
    }

    @Test
    void aSoftPurgeByTagIsKeptOnDiskAcrossARestartUntilOneRefreshReplacesThePage() throws InterruptedException {
        warm("/alice/hello", "/alice/second", "/bob/hello");
        assertThat(admin.postJson("/purge", "{\"tags\":[\"user:alice\"],\"soft\":true}")
                        .get("purged")
                        .asInt())
                .isEqualTo(2);
        edge.restart(); // memory starts empty: what is served next is read from disk, with its stale mark (issue 12)
        admin = new Admin(edge.adminPort());

        assertThat(status("/bob/hello")).isEqualTo("edge; hit");
        assertThat(status("/alice/hello")).isEqualTo("edge; hit; fwd=stale");
        Await.until(
                Duration.ofSeconds(10),
                "the refresh to be stored",
                () -> status("/alice/hello").equals("edge; hit"));
        edge.restart(); // read from disk again: the refreshed page, with no mark
        assertThat(status("/alice/hello")).isEqualTo("edge; hit");
        assertThat(status("/alice/second")).isEqualTo("edge; hit; fwd=stale");
        origin.verify(2, getRequestedFor(urlEqualTo("/alice/hello")));
    }

    @Test
    void aRenderInFlightDuringAPurgeIsNotStoredAsFresh() {
        gate.close(); // the render is held at the origin until the purge has been answered
        origin.stubFor(get("/alice/race")
                .willReturn(aResponse().withBody("before purge").withTransformers(OriginGate.NAME)));
        CompletableFuture<HttpResponse<String>> inFlight = Http.CLIENT.sendAsync(
                HttpRequest.newBuilder(Http.uri(edge.port(), "/alice/race")).build(),
                HttpResponse.BodyHandlers.ofString());
        Await.until(Duration.ofSeconds(5), "the origin to receive the render", () -> gate.held() == 1);
        admin.postJson("/purge", "{\"urls\":[\"/alice/race\"]}");
        gate.open();
        HttpResponse<String> first = inFlight.join();
        assertThat(first.body()).isEqualTo("before purge"); // its requester still gets an answer
        assertThat(first.headers().firstValue("Cache-Status")).contains("edge; fwd=miss");

        origin.stubFor(get("/alice/race").willReturn(ok("after purge")));
        assertThat(Http.get(edge.port(), "/alice/race").body()).isEqualTo("after purge");
        origin.verify(2, getRequestedFor(urlEqualTo("/alice/race")));
    }

    @Test
    void badPurgeRequestsAreRefusedWithTheFieldNamed() {
        assertThat(admin.post("/purge", "{\"tagz\":[\"a\"]}").body()).contains("unknown field 'tagz'");
        assertThat(admin.post("/purge", "{}").statusCode()).isEqualTo(400);
        assertThat(admin.post("/purge", "{\"prefixes\":[\"alice\"]}").body()).contains("prefixes must start with '/'");
        assertThat(admin.post("/purge", "{\"urls\":[\"/a%2Fb\"]}").statusCode()).isEqualTo(400);
        assertThat(admin.post("/purge", "not json").body()).contains("malformed JSON");
        assertThat(Http.post(edge.adminPort(), "/purge", "{\"all\":true}").statusCode())
                .isEqualTo(401);
    }

    @Test
    void purgesAreCounted() {
        warm("/alice/hello");
        admin.postJson("/purge", "{\"tags\":[\"user:alice\"]}");
        String metrics = admin.get("/metrics").body();
        assertThat(metrics).contains("edge_purge_requests_total{kind=\"tags\"} 1.0");
        assertThat(metrics).contains("edge_purged_keys_total 1.0");
    }
}
