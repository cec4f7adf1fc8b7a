package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.edgecache.common.config.AdminConfig;
import dev.edgecache.common.testing.FakeClock;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.TestEdge;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Origin down, slow or broken: stored pages keep being served, the rest get 502 or 504 with a reason. */
class OriginFailureIT {
    @TempDir
    Path dir;

    private WireMockServer origin;
    private EdgeServer edge;

    @BeforeEach
    void start() throws InterruptedException {
        origin = new WireMockServer(
                options().bindAddress("127.0.0.1").dynamicPort().jettyAcceptors(1));
        origin.start();
        edge = EdgeServer.start(
                TestEdge.withOriginTimeout(TestEdge.config(origin.port(), dir), Duration.ofMillis(700)),
                new FakeClock());
    }

    @AfterEach
    void stop() {
        edge.close();
        if (origin.isRunning()) origin.stop();
    }

    @Test
    void storedPagesAreServedWhileTheOriginIsDownAndOthersGet502() {
        origin.stubFor(get("/alice/hello").willReturn(ok("hello")));
        Http.get(edge.port(), "/alice/hello");
        origin.stop();

        HttpResponse<String> cached = Http.get(edge.port(), "/alice/hello");
        assertThat(cached.statusCode()).isEqualTo(200);
        assertThat(cached.body()).isEqualTo("hello");
        assertThat(cached.headers().firstValue("Cache-Status")).contains("edge; hit");

        HttpResponse<String> uncached = Http.get(edge.port(), "/alice/other");
        assertThat(uncached.statusCode()).isEqualTo(502);
        assertThat(uncached.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(uncached.body()).contains("<h1>502 Bad Gateway</h1>"); // issue 10: an HTML page...
        assertThat(uncached.body()).doesNotContain("reached").doesNotContain("127.0.0.1"); // ...without the cause
        assertThat(uncached.headers().firstValue("Cache-Status")).contains("edge; fwd=miss; detail=origin-error");
        assertThat(uncached.headers().firstValue("Cache-Control")).contains("no-store");

        HttpResponse<String> pass = Http.get(edge.port(), "/api/me");
        assertThat(pass.statusCode()).isEqualTo(502);

        // issue 10: still ready, since it serves what it stored; the origin's state is a detail
        HttpResponse<String> ready = Http.get(edge.adminPort(), "/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).startsWith("{\"ready\":true,\"origin\":{\"status\":\"unreachable\",");
    }

    @Test
    void readinessCanBeMadeToRequireTheOrigin() throws Exception {
        int port = origin.port();
        edge.close();
        origin.stop();
        var base = TestEdge.config(port, dir.resolve("strict"));
        edge = EdgeServer.start(
                TestEdge.withAdmin(base, new AdminConfig(base.admin().listen(), TestEdge.TOKEN, true)),
                new FakeClock());
        assertThat(Http.get(edge.adminPort(), "/readyz").statusCode()).isEqualTo(200); // nothing failed yet
        assertThat(Http.get(edge.port(), "/alice/x").statusCode()).isEqualTo(502);
        HttpResponse<String> ready = Http.get(edge.adminPort(), "/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"ready\":false", "\"status\":\"unreachable\"");
    }

    /** Issue 10: an operator's page per site, with the status filled in; the built-in one elsewhere. */
    @Test
    void errorPagesCanBeTheOperatorsPerSite() throws Exception {
        Path blogPage = Files.writeString(dir.resolve("blog-error.html"), "<p>blog: {{status}} {{reason}}</p>");
        Path defaultPage = Files.writeString(dir.resolve("error.html"), "<p>sorry: {{status}}</p>");
        int port = origin.port();
        edge.close();
        origin.stop();
        edge = EdgeServer.start(
                TestEdge.config(
                        port,
                        dir.resolve("store"),
                        TestEdge.DEFAULT_ROUTES,
                        "sites: [blog.example, shop.example]\nerror-pages: {default: %s, blog.example: %s}"
                                .formatted(defaultPage, blogPage)),
                new FakeClock());

        var blog =
                Http.raw(edge.port(), "GET /alice/x HTTP/1.1\r\nHost: blog.example\r\n\r\n", Duration.ofMillis(1500));
        assertThat(blog.statusLine()).isEqualTo("HTTP/1.1 502 Bad Gateway");
        assertThat(blog.text()).endsWith("\r\n\r\n<p>blog: 502 Bad Gateway</p>");
        var shop =
                Http.raw(edge.port(), "GET /alice/x HTTP/1.1\r\nHost: shop.example\r\n\r\n", Duration.ofMillis(1500));
        assertThat(shop.text()).endsWith("\r\n\r\n<p>sorry: 502</p>");
    }

    @Test
    void aSlowOriginGets504() {
        origin.stubFor(get("/alice/slow").willReturn(ok("late").withFixedDelay(3000)));
        HttpResponse<String> r = Http.get(edge.port(), "/alice/slow");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.headers().firstValue("Cache-Status")).contains("edge; fwd=miss; detail=origin-timeout");
    }

    @Test
    void aBrokenResponseGets502AndDoesNotTouchTheStoredPage() {
        origin.stubFor(get("/alice/hello").willReturn(ok("good")));
        Http.get(edge.port(), "/alice/hello");
        origin.stubFor(get("/alice/reset").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        origin.stubFor(get("/alice/garbage").willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));
        assertThat(Http.get(edge.port(), "/alice/reset").statusCode()).isEqualTo(502);
        assertThat(Http.get(edge.port(), "/alice/garbage").statusCode()).isEqualTo(502);
        assertThat(Http.get(edge.port(), "/alice/hello").body()).isEqualTo("good");
    }

    @Test
    void aConnectionRefusedIs502() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        edge.close();
        edge = EdgeServer.start(TestEdge.config(closedPort, dir), new FakeClock());
        HttpResponse<String> r = Http.get(edge.port(), "/alice/hello");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("Cache-Status")).contains("edge; fwd=miss; detail=origin-error");
    }

    @Test
    void pooledConnectionsClosedByTheOriginAreRetriedTransparently() throws InterruptedException {
        origin.stubFor(get("/alice/a").willReturn(ok("a")));
        origin.stubFor(get("/alice/b").willReturn(ok("b")));
        assertThat(Http.get(edge.port(), "/alice/a").statusCode()).isEqualTo(200);
        // restarting the origin closes the pooled keep-alive connection behind the edge's back
        int port = origin.port();
        origin.stop();
        origin =
                new WireMockServer(options().bindAddress("127.0.0.1").port(port).jettyAcceptors(1));
        origin.start();
        origin.stubFor(get("/alice/b").willReturn(ok("b")));
        HttpResponse<String> r = Http.get(edge.port(), "/alice/b");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("b");
    }
}
