package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.common.testing.FakeClock;
import dev.edgecache.proxy.testing.Await;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.OriginGate;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.TestEdge;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: on a route with {@code forward-cookies: true}, a request carrying {@code Cookie} is never collapsed onto
 * an anonymous render in flight (nor the other way round), as RFC 9111 §3.5 has it for {@code Authorization}: each
 * gets the answer made for it.
 */
class Issue11CookieCollapsingIT {
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

    private CompletableFuture<HttpResponse<String>> send(String path, String... headers) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(Http.uri(edge.port(), path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) b.headers(headers);
        return Http.CLIENT.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCookieRequestDoesNotWaitOnAnAnonymousRenderAndGetsItsOwnAnswer() throws InterruptedException {
        edge = EdgeServer.start(
                TestEdge.withOriginTimeout(
                        TestEdge.config(origin.getPort(), dir, "- {match: /me/**, mode: http, forward-cookies: true}"),
                        Duration.ofSeconds(30)),
                new FakeClock());
        gate.close();
        origin.stubFor(get("/me/page")
                .withHeader("Cookie", absent())
                .willReturn(aResponse()
                        .withBody("hello stranger")
                        .withHeader("Cache-Control", "public, max-age=60")
                        .withTransformers(OriginGate.NAME)));
        origin.stubFor(get("/me/page")
                .withHeader("Cookie", equalTo("sid=alice"))
                .willReturn(aResponse()
                        .withBody("hello alice")
                        .withHeader("Cache-Control", "public, max-age=60")
                        .withTransformers(OriginGate.NAME)));

        var anonymous = send("/me/page");
        Await.until(Duration.ofSeconds(20), "the anonymous render at the origin", () -> gate.held() == 1);
        var alice = send("/me/page", "Cookie", "sid=alice");
        // collapsed, it would wait on the anonymous render and never reach the origin
        Await.until(Duration.ofSeconds(20), "alice's own render at the origin", () -> gate.held() == 2);
        var anonymous2 = send("/me/page"); // an anonymous reader does collapse onto the anonymous render
        gate.open();

        assertThat(alice.join().body()).isEqualTo("hello alice");
        assertThat(anonymous.join().body()).isEqualTo("hello stranger");
        assertThat(anonymous2.join().body()).isEqualTo("hello stranger");
        origin.verify(1, getRequestedFor(urlEqualTo("/me/page")).withHeader("Cookie", equalTo("sid=alice")));
    }
}
