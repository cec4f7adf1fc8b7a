package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.testing.Await;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.RawH2;
import dev.edgecache.proxy.testing.TestCertificates;
import dev.edgecache.proxy.testing.TestEdge;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: the h2 attacks are answered by closing the offending connection (GOAWAY, then close) while another
 * reader's connection goes on being served: rapid reset (CVE-2023-44487), CONTINUATION floods (CVE-2024-27316);
 * and streams past {@code tls.http2-max-concurrent-streams} are refused one by one. The attacker is a raw frame
 * writer ({@link RawH2}); the other reader is the JDK's HTTP/2 client.
 */
class Http2LimitsIT {
    static final int MAX_STREAMS = 10;

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    static Path dir;

    static EdgeServer edge;
    static SSLContext trust;
    static HttpClient reader;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates ca = TestCertificates.createCa(dir);
        TestCertificates.Site site = ca.site("a", List.of("a.example"));
        String tls = "tls:\n  listen: 127.0.0.1:0\n  http2-max-concurrent-streams: " + MAX_STREAMS
                + "\n  certificates:\n    - " + site.yaml() + "\n";
        edge = EdgeServer.start(
                TestEdge.config(
                        origin.getPort(),
                        Files.createTempDirectory(dir, "store-"),
                        "- {match: \"/{user}/{slug}\", mode: persistent}",
                        tls),
                InstantSource.system());
        trust = ca.clientContext();
        reader = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .sslContext(trust)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @BeforeEach
    void page() { // WireMock resets its stubs before each test
        origin.stubFor(get("/alice/page").willReturn(aResponse().withStatus(200).withBody("page")));
    }

    @AfterAll
    static void stop() {
        if (reader != null) reader.close();
        if (edge != null) edge.close();
    }

    static HttpResponse<String> read() throws Exception {
        return reader.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + edge.tlsPort() + "/alice/page"))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static RawH2 attacker() throws Exception {
        return RawH2.connect(trust, edge.tlsPort(), Duration.ofSeconds(15));
    }

    /** Opens a stream that stays open (a GET whose end never comes), then resets it; {@code count} times. */
    static void openAndReset(RawH2 h2, int firstStream, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            int stream = firstStream + 2 * i;
            h2.frame(RawH2.HEADERS, RawH2.END_HEADERS, stream, RawH2.get("/alice/page"));
            h2.rst(stream, RawH2.CANCEL);
        }
        h2.flush();
    }

    @Test
    void rapidResetClosesTheOffenderWhileAnotherReaderIsServed() throws Exception {
        assertThat(read().version()).isEqualTo(HttpClient.Version.HTTP_2); // the other reader's connection is open

        try (RawH2 polite = attacker()) { // control: resets under the limit are normal cancellations
            openAndReset(polite, 1, 150);
            polite.ping((byte) 7);
            polite.flush();
            RawH2.Frame ack = polite.readUntil(RawH2.PING);
            assertThat(ack).as("the connection stays open under the limit").isNotNull();
            assertThat(ack.flags() & RawH2.ACK).isEqualTo(RawH2.ACK);
        }
        double closesBefore = limitCloses("rapid-reset");
        try (RawH2 attack = attacker()) {
            openAndReset(attack, 1, 1_000);
            RawH2.Frame goAway = attack.readUntil(RawH2.GOAWAY);
            if (goAway != null) { // else the connection was reset with the rest of the attack unread: closed too
                assertThat(goAway.errorCode()).isEqualTo(RawH2.ENHANCE_YOUR_CALM);
                assertThat(attack.readUntil(-1)).as("closed after the GOAWAY").isNull();
            }
        }

        Await.until( // counted before the GOAWAY is written, so at the latest when the attacker saw the end
                Duration.ofSeconds(10),
                "edge_http2_limit_closes_total{reason=rapid-reset} counted",
                () -> limitCloses("rapid-reset") == closesBefore + 1);

        HttpResponse<String> after = read(); // the same connection as before the attack
        assertThat(after.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).isEqualTo("page");
    }

    @Test
    void streamsPastTheConcurrencyLimitAreRefused() throws Exception {
        try (RawH2 h2 = attacker()) {
            for (int i = 0; i <= MAX_STREAMS; i++) {
                h2.frame(RawH2.HEADERS, RawH2.END_HEADERS, 1 + 2 * i, RawH2.get("/alice/page"));
            }
            h2.flush();
            RawH2.Frame refused = h2.readUntil(RawH2.RST_STREAM);
            assertThat(refused).isNotNull();
            assertThat(refused.stream()).isEqualTo(1 + 2 * MAX_STREAMS);
            assertThat(refused.errorCode()).isEqualTo(RawH2.REFUSED_STREAM);
            h2.ping((byte) 1); // the connection itself is fine
            h2.flush();
            assertThat(h2.readUntil(RawH2.PING)).isNotNull();
        }
    }

    @Test
    void aContinuationFloodOfTinyFramesClosesTheOffender() throws Exception {
        double closesBefore = limitCloses("continuation-flood");
        try (RawH2 h2 = attacker()) {
            h2.frame(RawH2.HEADERS, 0, 1, RawH2.get("/alice/page")); // no END_HEADERS: CONTINUATION must follow
            for (int i = 0; i < 10_000; i++) h2.frame(RawH2.CONTINUATION, 0, 1, new byte[] {0x40});
            h2.flush();
            assertClosedByTheEdge(h2);
        }
        Await.until(
                Duration.ofSeconds(10),
                "edge_http2_limit_closes_total{reason=continuation-flood} counted",
                () -> limitCloses("continuation-flood") == closesBefore + 1);
        assertThat(read().statusCode()).isEqualTo(200);
    }

    @Test
    void aContinuationFloodPastTheHeaderListSizeClosesTheOffender() throws Exception {
        try (RawH2 h2 = attacker()) {
            h2.frame(RawH2.HEADERS, 0, 1, RawH2.get("/alice/page"));
            byte[] big = new byte[16_000];
            for (int i = 0; i < 200; i++) h2.frame(RawH2.CONTINUATION, 0, 1, big); // 3.2 MB of header block
            h2.flush();
            assertClosedByTheEdge(h2);
        }
        assertThat(read().statusCode()).isEqualTo(200);
    }

    /** {@code edge_http2_limit_closes_total{reason}} so far. */
    static double limitCloses(String reason) {
        return edge.metrics()
                .registry()
                .get(EdgeMetrics.HTTP2_LIMIT_CLOSES)
                .tag("reason", reason)
                .counter()
                .count();
    }

    /** A GOAWAY (then the end), or the end itself: the edge stopped reading this connection. */
    private static void assertClosedByTheEdge(RawH2 h2) throws Exception {
        RawH2.Frame goAway = h2.readUntil(RawH2.GOAWAY);
        if (goAway != null) {
            assertThat(goAway.errorCode()).isNotZero();
            assertThat(h2.readUntil(-1)).as("closed after the GOAWAY").isNull();
        }
    }
}
