package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.common.config.ConfigException;
import dev.edgecache.common.config.EdgeConfig;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.TestCertificates;
import dev.edgecache.proxy.testing.TestEdge;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, end to end on real sockets: the TLS port serves HTTP/1.1 and, through ALPN, HTTP/2 with the same cache
 * (a miss, then a hit), tells the origin {@code X-Forwarded-Proto: https}, picks the certificate by SNI, refuses TLS
 * 1.1, and works with curl; a certificate that cannot be used stops the start. Certificates come from a test CA made
 * with openssl in the test.
 */
class TlsIT {
    static final String ROUTES = """
            - {match: /login, mode: pass}
            - {match: "/{user}/{slug}", mode: persistent}
            """;

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
        edge = EdgeServer.start(config(siteA, siteB), InstantSource.system());
        SSLContext trust = ca.clientContext();
        h1 = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(trust)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        h2 = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .sslContext(trust)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void stop() {
        if (h1 != null) h1.close();
        if (h2 != null) h2.close();
        if (edge != null) edge.close();
    }

    static EdgeConfig config(TestCertificates.Site... sites) throws IOException {
        StringBuilder tls = new StringBuilder("tls:\n  listen: 127.0.0.1:0\n  h2c: true\n  certificates:\n");
        for (TestCertificates.Site s : sites)
            tls.append("    - ").append(s.yaml()).append('\n');
        Path store = Files.createTempDirectory(dir, "store-");
        return TestEdge.config(origin.getPort(), store, ROUTES, tls.toString());
    }

    static HttpResponse<String> send(HttpClient client, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + edge.tlsPort() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(20))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static String cacheStatus(HttpResponse<String> r) {
        return r.headers().firstValue("Cache-Status").orElse("");
    }

    @Test
    void http11OverTlsStoresThenServesAndTellsTheOriginHttps() throws Exception {
        origin.stubFor(get("/alice/tls1").willReturn(aResponse().withStatus(200).withBody("page one")));
        HttpResponse<String> miss = send(h1, "GET", "/alice/tls1", null);
        HttpResponse<String> hit = send(h1, "GET", "/alice/tls1", null);
        assertThat(miss.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(miss.body()).isEqualTo("page one");
        assertThat(cacheStatus(miss)).isEqualTo("edge; fwd=miss; stored");
        assertThat(hit.body()).isEqualTo("page one");
        assertThat(cacheStatus(hit)).isEqualTo("edge; hit");
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/tls1")).withHeader("X-Forwarded-Proto", equalTo("https")));

        // the scheme is not part of the key (README): the plain port serves the page stored over TLS
        assertThat(cacheStatus(Http.get(edge.port(), "/alice/tls1"))).isEqualTo("edge; hit");
        origin.stubFor(
                get("/alice/plain").willReturn(aResponse().withStatus(200).withBody("plain")));
        assertThat(Http.get(edge.port(), "/alice/plain").body()).isEqualTo("plain");
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/plain")).withHeader("X-Forwarded-Proto", equalTo("http")));
    }

    @Test
    void http2ThroughAlpnTakesTheSameCachePath() throws Exception {
        origin.stubFor(get("/alice/h2").willReturn(aResponse().withStatus(200).withBody("page two")));
        HttpResponse<String> miss = send(h2, "GET", "/alice/h2", null);
        HttpResponse<String> hit = send(h2, "GET", "/alice/h2", null);
        assertThat(miss.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(miss.statusCode()).isEqualTo(200);
        assertThat(miss.body()).isEqualTo("page two");
        assertThat(cacheStatus(miss)).isEqualTo("edge; fwd=miss; stored");
        assertThat(hit.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(hit.body()).isEqualTo("page two");
        assertThat(cacheStatus(hit)).isEqualTo("edge; hit");
        assertThat(hit.headers().firstValue("Connection")).isEmpty(); // connection-specific fields never on h2
        assertThat(hit.headers().firstValue("Keep-Alive")).isEmpty();
        origin.verify(
                1,
                getRequestedFor(urlEqualTo("/alice/h2"))
                        .withHeader("X-Forwarded-Proto", equalTo("https"))
                        .withHeader("x-http2-stream-id", absent())
                        .withHeader("x-http2-scheme", absent()));

        // a pass route with a body: forwarded with it, answered on the stream
        origin.stubFor(post("/login").willReturn(aResponse().withStatus(200).withBody("welcome")));
        HttpResponse<String> login = send(h2, "POST", "/login", "user=alice");
        assertThat(login.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(login.body()).isEqualTo("welcome");
        assertThat(cacheStatus(login)).isEqualTo("edge; fwd=bypass");
        origin.verify(postRequestedFor(urlEqualTo("/login"))
                .withRequestBody(equalTo("user=alice"))
                .withHeader("X-Forwarded-Proto", equalTo("https")));
    }

    @Test
    void sniPicksTheCertificateByNameAndTheFirstIsTheDefault() throws Exception {
        assertThat(peerCertificate("b.example").getSubjectX500Principal().getName())
                .isEqualTo("CN=b.example");
        assertThat(peerCertificate("a.example").getSubjectX500Principal().getName())
                .isEqualTo("CN=a.example");
        assertThat(peerCertificate("other.example").getSubjectX500Principal().getName())
                .isEqualTo("CN=a.example");
        assertThat(peerCertificate(null).getSubjectX500Principal().getName()).isEqualTo("CN=a.example");
    }

    private static X509Certificate peerCertificate(String sni) throws Exception {
        try (SSLSocket socket =
                (SSLSocket) ca.clientContext().getSocketFactory().createSocket("127.0.0.1", edge.tlsPort())) {
            socket.setSoTimeout(10_000);
            SSLParameters params = socket.getSSLParameters();
            params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            socket.setSSLParameters(params);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    @Test
    void tls11AndOlderAreRefusedWhile12And13Work() throws Exception {
        assumeTrue(onPath("openssl"), "openssl is not installed (bin/test installs it)");
        // SECLEVEL=0 lets OpenSSL 3 offer TLS 1.1 at all, so that the refusal seen is the edge's (its alert)
        String old = run(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + edge.tlsPort(),
                "-tls1_1",
                "-cipher",
                "DEFAULT@SECLEVEL=0");
        assertThat(old).contains("alert protocol version");
        String oldest = run(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + edge.tlsPort(),
                "-tls1",
                "-cipher",
                "DEFAULT@SECLEVEL=0");
        assertThat(oldest).contains("alert protocol version");
        String v12 = run(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + edge.tlsPort(),
                "-tls1_2",
                "-CAfile",
                ca.caFile().toString());
        assertThat(v12).contains("Protocol  : TLSv1.2").contains("Verify return code: 0 (ok)");
        String v13 = run(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + edge.tlsPort(),
                "-tls1_3",
                "-CAfile",
                ca.caFile().toString());
        assertThat(v13).contains("TLSv1.3").contains("Verify return code: 0 (ok)");
    }

    @Test
    void curlSpeaksHttp2WithTheEdge() throws Exception {
        assumeTrue(onPath("curl"), "curl is not installed (bin/test installs it)");
        origin.stubFor(get("/alice/curl").willReturn(aResponse().withStatus(200).withBody("curl page")));
        List<String> curl = ca.curlHttp2("a.example", edge.tlsPort(), "/alice/curl");
        String first = run(curl.toArray(String[]::new));
        String second = run(curl.toArray(String[]::new));
        assertThat(first)
                .startsWith("HTTP/2 200")
                .contains("cache-status: edge; fwd=miss; stored")
                .endsWith("curl page");
        assertThat(second)
                .startsWith("HTTP/2 200")
                .contains("cache-status: edge; hit")
                .endsWith("curl page");
    }

    @Test
    void thePlainPortTakesHttp2WithPriorKnowledgeWhenAskedAndHttp11Still() throws Exception {
        assumeTrue(onPath("curl"), "curl is not installed (bin/test installs it)");
        origin.stubFor(get("/alice/h2c").willReturn(aResponse().withStatus(200).withBody("h2c page")));
        List<String> curl = List.of(
                "curl",
                "-sS",
                "--http2-prior-knowledge",
                "--max-time",
                "20",
                "-D",
                "-",
                "http://127.0.0.1:" + edge.port() + "/alice/h2c");
        String first = run(curl.toArray(String[]::new));
        String second = run(curl.toArray(String[]::new));
        assertThat(first)
                .startsWith("HTTP/2 200")
                .contains("cache-status: edge; fwd=miss; stored")
                .endsWith("h2c page");
        assertThat(second)
                .startsWith("HTTP/2 200")
                .contains("cache-status: edge; hit")
                .endsWith("h2c page");
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/h2c")).withHeader("X-Forwarded-Proto", equalTo("http")));
        // HTTP/1.1 on the same port still: the first byte that differs from the preface decides
        Http.RawResult raw = Http.raw(
                edge.port(),
                "GET /alice/h2c HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n",
                Duration.ofSeconds(10));
        assertThat(raw.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(raw.text()).contains("edge; hit").endsWith("h2c page");
    }

    @Test
    void anUnusableCertificateStopsTheStartNamingItsFile() throws Exception {
        TestCertificates.Site expired = ca.expiredSite("expired", List.of("old.example"));
        assertThatThrownBy(() -> EdgeServer.start(config(siteA, expired), InstantSource.system()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("tls.certificates[1].cert: " + expired.cert() + ": certificate expired on");
        TestCertificates.Site mismatched = new TestCertificates.Site(siteA.cert(), siteB.key());
        assertThatThrownBy(() -> EdgeServer.start(config(mismatched), InstantSource.system()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls.certificates[0].key: " + siteB.key() + ": the private key does not match");
    }

    static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, command))) return true;
        }
        return false;
    }

    /** Runs {@code command} with no input, bounded to 30 s; stdout and stderr together. */
    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + List.of(command));
        }
        return new String(out, StandardCharsets.UTF_8).replace("\r\n", "\n");
    }
}
