package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.common.config.EdgeConfig;
import dev.edgecache.proxy.testing.Await;
import dev.edgecache.proxy.testing.H3Client;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.RawOrigin;
import dev.edgecache.proxy.testing.TestCertificates;
import dev.edgecache.proxy.testing.TestEdge;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, HTTP/3 end to end on real sockets: with {@code tls.http3: true} the edge answers Netty's QUIC client on
 * the TLS port's number (UDP) through the same cache as HTTP/1.1 and h2 (a miss, then a hit, the same bytes; HEAD;
 * a 304), with the TLS port's certificates picked by SNI and reloaded for new QUIC connections, and its TCP
 * responses advertise it with {@code Alt-Svc}, which an edge without HTTP/3 never sends. Certificates come from a
 * test CA made with openssl in the test.
 */
class Http3IT {
    static final String ROUTES = """
            - {match: /login, mode: pass}
            - {match: "/{user}/{slug}", mode: persistent}
            """;
    static final int MAX_STREAMS = 8;

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    static Path dir;

    static TestCertificates ca;
    static TestCertificates.Site siteA;
    static TestCertificates.Site siteB;
    static EdgeServer edge;
    static HttpClient h1;
    static HttpClient h2;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.createCa(dir);
        siteA = ca.site("a", List.of("a.example", "localhost"));
        siteB = ca.site("b", List.of("b.example"));
        edge = EdgeServer.start(config(true, siteA, siteB), InstantSource.system());
        h1 = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(ca.clientContext())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        h2 = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .sslContext(ca.clientContext())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void stop() {
        if (h1 != null) h1.close();
        if (h2 != null) h2.close();
        if (edge != null) edge.close();
    }

    static EdgeConfig config(boolean http3, TestCertificates.Site... sites) throws Exception {
        StringBuilder tls = new StringBuilder("tls:\n  listen: 127.0.0.1:0\n  http3: " + http3
                + "\n  http2-max-concurrent-streams: " + MAX_STREAMS + "\n  certificates:\n");
        for (TestCertificates.Site s : sites)
            tls.append("    - ").append(s.yaml()).append('\n');
        return TestEdge.config(origin.getPort(), Files.createTempDirectory(dir, "store-"), ROUTES, tls.toString());
    }

    static H3Client h3(String sni) throws Exception {
        return H3Client.connect(edge.http3Port(), sni, ca.caFile());
    }

    @Test
    void aGetIsStoredThenServedFromTheSameCacheWithTheSameBytes() throws Exception {
        byte[] page = new byte[50_000]; // several DATA frames, and not text: bytes must survive unchanged
        new Random(13).nextBytes(page);
        origin.stubFor(get("/alice/h3")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/octet-stream")
                        .withBody(page)));
        try (H3Client c = h3("a.example")) {
            H3Client.Response miss = c.get("a.example", "/alice/h3");
            H3Client.Response hit = c.get("a.example", "/alice/h3");
            assertThat(miss.status()).isEqualTo(200);
            assertThat(miss.header("cache-status")).isEqualTo("edge; fwd=miss; stored");
            assertThat(miss.body()).isEqualTo(page);
            assertThat(hit.status()).isEqualTo(200);
            assertThat(hit.header("cache-status")).isEqualTo("edge; hit");
            assertThat(hit.body()).isEqualTo(page);
            assertThat(hit.header("content-length")).isEqualTo(String.valueOf(page.length));
            assertThat(hit.header("connection")).isNull(); // connection-specific fields never on h3
        }
        origin.verify(
                1,
                getRequestedFor(urlEqualTo("/alice/h3"))
                        .withHeader("X-Forwarded-Proto", equalTo("https"))
                        .withHeader("X-Forwarded-For", equalTo("127.0.0.1")) // the QUIC peer's UDP address
                        .withHeader("x-http3-stream-id", absent())
                        .withHeader("x-http3-scheme", absent())
                        .withHeader("x-http3-path", absent()));
        // one cache for every protocol: the page stored over h3 is a hit over HTTP/1.1 on the TLS port (no sites:
        // configured, so the host is not part of the key)
        HttpResponse<byte[]> overH1 = h1.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + edge.tlsPort() + "/alice/h3"))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(overH1.headers().firstValue("Cache-Status")).hasValue("edge; hit");
        assertThat(overH1.body()).isEqualTo(page);
    }

    @Test
    void requestsRunSideBySideUpToTheStreamLimitAndTheCreditComesBack() throws Exception {
        origin.stubFor(get("/alice/many").willReturn(aResponse().withStatus(200).withBody("many")));
        try (H3Client first = h3("a.example")) {
            assertThat(first.get("a.example", "/alice/many").status()).isEqualTo(200); // stored
        }
        try (H3Client c = h3("a.example")) {
            assertThat(c.allowedStreams()).isEqualTo(MAX_STREAMS);
            List<CompletableFuture<H3Client.Response>> open = new ArrayList<>();
            for (int i = 0; i < MAX_STREAMS; i++) open.add(c.start("GET", "a.example", "/alice/many", null));
            for (CompletableFuture<H3Client.Response> f : open) {
                H3Client.Response r = f.get(H3Client.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(r.header("cache-status")).isEqualTo("edge; hit");
                assertThat(r.body()).asString(StandardCharsets.UTF_8).isEqualTo("many");
            }
            // a long-lived connection does not stall: the edge hands stream credit back as streams end
            for (int i = 0; i < 3 * MAX_STREAMS; i++) {
                Await.until(Duration.ofSeconds(10), "stream credit back", () -> allowed(c) > 0);
                assertThat(c.get("a.example", "/alice/many").status()).isEqualTo(200);
            }
        }
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/many")));
    }

    private static long allowed(H3Client c) {
        try {
            return c.allowedStreams();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void headAndIfNoneMatchAreAnsweredFromTheStoredPage() throws Exception {
        origin.stubFor(get("/alice/tagged")
                .willReturn(
                        aResponse().withStatus(200).withHeader("ETag", "\"v1\"").withBody("tagged page")));
        try (H3Client c = h3("a.example")) {
            assertThat(c.get("a.example", "/alice/tagged").body())
                    .asString(StandardCharsets.UTF_8)
                    .isEqualTo("tagged page");
            H3Client.Response head = c.send("HEAD", "a.example", "/alice/tagged", null);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("cache-status")).isEqualTo("edge; hit");
            assertThat(head.header("content-length")).isEqualTo("11");
            assertThat(head.body()).isEmpty();
            H3Client.Response notModified = c.get("a.example", "/alice/tagged", "if-none-match", "\"v1\"");
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.header("etag")).isEqualTo("\"v1\"");
            assertThat(notModified.body()).isEmpty();
            H3Client.Response changed = c.get("a.example", "/alice/tagged", "if-none-match", "\"v0\"");
            assertThat(changed.status()).isEqualTo(200);
            assertThat(changed.body()).asString(StandardCharsets.UTF_8).isEqualTo("tagged page");
        }
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/tagged")));
    }

    @Test
    void aPassRouteForwardsTheBodyAndAnswersOnTheStream() throws Exception {
        origin.stubFor(post("/login").willReturn(aResponse().withStatus(200).withBody("welcome")));
        try (H3Client c = h3("a.example")) {
            H3Client.Response login =
                    c.send("POST", "a.example", "/login", "user=alice".getBytes(StandardCharsets.UTF_8));
            assertThat(login.status()).isEqualTo(200);
            assertThat(login.body()).asString(StandardCharsets.UTF_8).isEqualTo("welcome");
            assertThat(login.header("cache-status")).isEqualTo("edge; fwd=bypass");
        }
        origin.verify(postRequestedFor(urlEqualTo("/login"))
                .withRequestBody(equalTo("user=alice"))
                .withHeader("X-Forwarded-Proto", equalTo("https"))
                .withHeader("x-http3-stream-id", absent())); // a pass route forwards the reader's other fields
    }

    @Test
    void aHeaderSectionPastTheLimitIsRefusedAndTheNextReaderIsServed() throws Exception {
        origin.stubFor(get("/alice/big").willReturn(aResponse().withStatus(200).withBody("big")));
        try (H3Client c = h3("a.example")) { // limits.max-header-size is 16 KiB; Netty's client does not check it
            assertThat(c.get("a.example", "/alice/big", "x-large", "x".repeat(12 * 1024))
                            .status())
                    .isEqualTo(200);
            assertThatThrownBy(() -> c.get("a.example", "/alice/big", "x-huge", "x".repeat(20 * 1024)))
                    .as("the edge's decoder refuses it (H3_EXCESSIVE_LOAD), the request never reaches the cache")
                    .isInstanceOf(ExecutionException.class);
        }
        try (H3Client c = h3("a.example")) {
            assertThat(c.get("a.example", "/alice/big").status()).isEqualTo(200);
        }
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/big")));
        origin.verify(0, getRequestedFor(urlEqualTo("/alice/big")).withHeader("x-huge", matching(".*")));
    }

    @Test
    void sniPicksTheCertificateAndTheTransportCarriesTheLimits() throws Exception {
        try (H3Client b = h3("b.example");
                H3Client a = h3("a.example");
                H3Client noName = h3("127.0.0.1")) { // an IP address is never sent as SNI (RFC 6066 §3)
            assertThat(b.peerCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=b.example");
            assertThat(a.peerCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=a.example");
            assertThat(noName.peerCertificate().getSubjectX500Principal().getName())
                    .as("no SNI: the first certificate")
                    .isEqualTo("CN=a.example");
            assertThat(b.peerParameters().initialMaxStreamsBidi()).isEqualTo(MAX_STREAMS);
            assertThat(b.peerParameters().maxIdleTimeout()).isEqualTo(60_000);
        }
    }

    @Test
    void theTcpPortAdvertisesHttp3OnEveryResponseWithoutStoringIt() throws Exception {
        origin.stubFor(get("/alice/alt").willReturn(aResponse().withStatus(200).withBody("alt page")));
        assertThat(edge.http3Port()).isEqualTo(edge.tlsPort());
        String expected = "h3=\":" + edge.http3Port() + "\"; ma=86400";
        HttpResponse<String> miss = send(h1, edge, "/alice/alt");
        HttpResponse<String> hit = send(h2, edge, "/alice/alt");
        assertThat(miss.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(miss.headers().allValues("Alt-Svc")).containsExactly(expected);
        assertThat(hit.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(hit.headers().firstValue("Cache-Status")).hasValue("edge; hit");
        assertThat(hit.headers().allValues("Alt-Svc")).containsExactly(expected);
        // not stored with the page: the plain port serves the same hit without it
        HttpResponse<String> plain = Http.get(edge.port(), "/alice/alt");
        assertThat(plain.headers().firstValue("Cache-Status")).hasValue("edge; hit");
        assertThat(plain.headers().firstValue("Alt-Svc")).isEmpty();

        try (EdgeServer without = EdgeServer.start(config(false, siteA), InstantSource.system())) {
            assertThat(send(h1, without, "/alice/alt").headers().firstValue("Alt-Svc"))
                    .isEmpty();
            assertThat(send(h2, without, "/alice/alt").headers().firstValue("Alt-Svc"))
                    .isEmpty();
        }
    }

    @Test
    void newQuicConnectionsTakeReloadedCertificatesAndOpenOnesGoOn() throws Exception {
        origin.stubFor(
                get("/alice/reload").willReturn(aResponse().withStatus(200).withBody("r")));
        TestCertificates.Site v1 = ca.site("r1", List.of("a.example"));
        TestCertificates.Site v2 = ca.site("r2", List.of("a.example"));
        TestCertificates.Site live = new TestCertificates.Site(dir.resolve("live.crt"), dir.resolve("live.key"));
        install(v1, live);
        try (EdgeServer reloading = EdgeServer.start(config(true, live), InstantSource.system());
                H3Client before = H3Client.connect(reloading.http3Port(), "a.example", ca.caFile())) {
            assertThat(before.peerCertificate().getSerialNumber()).isEqualTo(serialOf(v1));
            assertThat(before.get("a.example", "/alice/reload").status()).isEqualTo(200);
            install(v2, live);
            Await.until(
                    Duration.ofSeconds(20),
                    "the new certificate taken",
                    () -> reloading.tls().reloads() >= 1);
            try (H3Client after = H3Client.connect(reloading.http3Port(), "a.example", ca.caFile())) {
                assertThat(after.peerCertificate().getSerialNumber()).isEqualTo(serialOf(v2));
                assertThat(after.get("a.example", "/alice/reload").status()).isEqualTo(200);
            }
            assertThat(before.get("a.example", "/alice/reload").status())
                    .as("the connection made before the reload is still served")
                    .isEqualTo(200);
        }
    }

    @Test
    void anOriginsInterimResponseIsNotRelayedOnAnHttp3Stream() throws Exception {
        String tls = "tls:\n  listen: 127.0.0.1:0\n  http3: true\n  certificates:\n    - " + siteA.yaml() + "\n";
        try (RawOrigin hints = new RawOrigin(c -> {
                    while (c.readHead() != null) {
                        c.write("HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload; as=style\r\n\r\n");
                        c.write("HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nContent-Length: 5\r\n\r\nfinal");
                    }
                });
                EdgeServer withHints = EdgeServer.start(
                        TestEdge.config(hints.port(), Files.createTempDirectory(dir, "store-"), ROUTES, tls),
                        InstantSource.system());
                H3Client c = H3Client.connect(withHints.http3Port(), "a.example", ca.caFile())) {
            H3Client.Response r = c.get("a.example", "/alice/hinted");
            assertThat(r.status()).as("the final response, on the same stream").isEqualTo(200);
            assertThat(r.body()).asString(StandardCharsets.UTF_8).isEqualTo("final");
            assertThat(r.header("cache-status")).isEqualTo("edge; fwd=miss; stored");
            assertThat(r.header("link")).isNull();
        }
    }

    static HttpResponse<String> send(HttpClient client, EdgeServer to, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + to.tlsPort() + path))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Replaces the live files atomically (a rename each), as a certificate tool would. */
    private static void install(TestCertificates.Site from, TestCertificates.Site live) throws Exception {
        Path certTmp =
                Files.copy(from.cert(), live.cert().resolveSibling("cert.tmp"), StandardCopyOption.REPLACE_EXISTING);
        Path keyTmp = Files.copy(from.key(), live.key().resolveSibling("key.tmp"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(keyTmp, live.key(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(certTmp, live.cert(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static BigInteger serialOf(TestCertificates.Site site) throws Exception {
        return TestCertificates.leafOf(site.cert()).getSerialNumber();
    }
}
