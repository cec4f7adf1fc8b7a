package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.common.config.AdminConfig;
import dev.edgecache.common.config.AdminTlsConfig;
import dev.edgecache.common.config.ConfigException;
import dev.edgecache.common.config.EdgeConfig;
import dev.edgecache.common.config.HostPort;
import dev.edgecache.common.config.TlsConfig;
import dev.edgecache.ctl.EdgeCtl;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.TestCertificates;
import dev.edgecache.proxy.testing.TestEdge;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 point 4, end to end on real sockets: with {@code admin.tls} the admin port speaks HTTPS only, {@code ctl}
 * purges over {@code https://} trusting the test CA given with {@code --ca} (or {@code EDGE_ADMIN_CA}), and a CA
 * that did not sign the admin certificate, or none, is refused with a one-line message and exit code 3; an expired
 * admin certificate stops the start. Certificates come from test CAs made with openssl in the test.
 */
class AdminTlsIT {
    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    static Path dir;

    static TestCertificates ca;
    static TestCertificates otherCa;
    static EdgeServer edge;

    /** What one in-process ctl run printed and returned. */
    record Ctl(int exitCode, String out, String err) {}

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.createCa(Files.createDirectory(dir.resolve("ca")));
        otherCa = TestCertificates.createCa(Files.createDirectory(dir.resolve("other-ca")));
        edge = EdgeServer.start(config(ca.site("admin", List.of("localhost"))), InstantSource.system());
    }

    @AfterAll
    static void stop() {
        if (edge != null) edge.close();
    }

    static EdgeConfig config(TestCertificates.Site site) throws IOException {
        EdgeConfig base = TestEdge.config(origin.getPort(), Files.createTempDirectory(dir, "store-"));
        AdminTlsConfig tls = new AdminTlsConfig(List.of(new TlsConfig.CertificateFiles(site.cert(), site.key())));
        return TestEdge.withAdmin(base, new AdminConfig(HostPort.parse("127.0.0.1:0"), TestEdge.TOKEN, null, tls));
    }

    static String httpsUrl() {
        return "https://127.0.0.1:" + edge.adminPort();
    }

    static Ctl ctl(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EdgeCtl.run(env, new PrintWriter(out), new PrintWriter(err), args);
        return new Ctl(code, out.toString(), err.toString());
    }

    @Test
    void ctlPurgesOverHttpsTrustingTheCaFile() {
        origin.stubFor(get("/alice/hello").willReturn(ok("hello")));
        assertThat(Http.get(edge.port(), "/alice/hello").headers().firstValue("Cache-Status"))
                .hasValue("edge; fwd=miss; stored");

        Ctl r = ctl(
                Map.of(),
                "purge",
                "--url",
                "/alice/hello",
                "--admin-url",
                httpsUrl(),
                "--ca",
                ca.caFile().toString(),
                "--token",
                TestEdge.TOKEN);

        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("purged 1 key");
        assertThat(Http.get(edge.port(), "/alice/hello").headers().firstValue("Cache-Status"))
                .hasValue("edge; fwd=miss; stored");
        origin.verify(2, getRequestedFor(urlEqualTo("/alice/hello")));
    }

    @Test
    void theCaFileMayComeFromTheEnvironment() {
        Ctl r = ctl(
                Map.of(
                        "EDGE_ADMIN_URL", httpsUrl(),
                        "EDGE_ADMIN_CA", ca.caFile().toString(),
                        "EDGE_ADMIN_TOKEN", TestEdge.TOKEN),
                "purge",
                "--url",
                "/nothing/here");

        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("purged 0 keys");
    }

    @Test
    void aCaThatDidNotSignTheAdminCertificateIsRefusedInOneLine() {
        Ctl r = ctl(
                Map.of(),
                "purge",
                "--all",
                "--admin-url",
                httpsUrl(),
                "--ca",
                otherCa.caFile().toString(),
                "--token",
                TestEdge.TOKEN);

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err())
                .isEqualTo("ctl: cannot reach the admin port at " + httpsUrl()
                        + ": its TLS certificate is not trusted (not signed by a CA in --ca)\n");
        assertThat(r.out() + r.err()).doesNotContain(TestEdge.TOKEN);
    }

    @Test
    void withoutACaFileTheJdkTrustStoreRefusesAPrivateCaAndSaysWhatToDo() {
        Ctl r = ctl(Map.of(), "deploys", "--admin-url", httpsUrl(), "--token", TestEdge.TOKEN);

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err())
                .isEqualTo("ctl: cannot reach the admin port at " + httpsUrl()
                        + ": its TLS certificate is not trusted (give its CA with --ca FILE or EDGE_ADMIN_CA)\n");
    }

    @Test
    void anUnreadableCaFileIsAUsageError() {
        Path missing = dir.resolve("missing-ca.crt");
        Ctl r = ctl(Map.of(), "deploys", "--admin-url", httpsUrl(), "--ca", missing.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("cannot read --ca " + missing);
    }

    @Test
    void theAdminPortSpeaksOnlyHttps() throws Exception {
        try (HttpClient plain = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build()) {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + edge.adminPort() + "/healthz"))
                    .timeout(Duration.ofSeconds(10))
                    .build();
            assertThatThrownBy(() -> plain.send(request, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
        try (HttpClient tls = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(ca.clientContext())
                .connectTimeout(Duration.ofSeconds(5))
                .build()) {
            HttpResponse<String> health = tls.send(
                    HttpRequest.newBuilder(URI.create(httpsUrl() + "/healthz"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void ctlWithAnHttpUrlAgainstTheHttpsAdminPortFailsWithExitThree() {
        String url = "http://127.0.0.1:" + edge.adminPort();
        Ctl r = ctl(Map.of(), "deploys", "--admin-url", url, "--token", TestEdge.TOKEN, "--timeout", "5s");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err())
                .startsWith("ctl: cannot reach the admin port at " + url + ": ")
                .endsWith(" (if the admin port speaks HTTPS, use an https:// URL)\n")
                .hasLineCount(1);
        assertThat(r.err()).doesNotContain(TestEdge.TOKEN);
    }

    @Test
    void ctlWithAnHttpsUrlAgainstAPlainHttpPortSaysSoInOneLine() {
        String url = "https://127.0.0.1:" + edge.port(); // the reader port: Netty, plain HTTP
        Ctl r = ctl(Map.of(), "deploys", "--admin-url", url, "--timeout", "5s");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err())
                .startsWith("ctl: cannot reach the admin port at " + url + ": TLS failed: ")
                .endsWith(" (does the admin port speak HTTPS? admin.tls in its config)\n")
                .hasLineCount(1);
    }

    @Test
    void checkValidatesTheAdminCertificatesAsTheStartWould() throws Exception {
        TestCertificates.Site good = ca.site("check-admin", List.of("localhost"));
        TestCertificates.Site expired = ca.expiredSite("check-expired", List.of("localhost"));

        assertThat(check(good)).isZero();
        assertThat(check(expired)).isEqualTo(2);
    }

    /** {@code edge --check} in this JVM on a config file whose admin port has {@code site}. */
    private static int check(TestCertificates.Site site) throws IOException {
        Path file = Files.writeString(
                Files.createTempFile(dir, "edge-", ".yaml"), """
                origin: {url: "http://127.0.0.1:1"}
                store: {path: %s}
                admin:
                  listen: 127.0.0.1:0
                  token: t
                  tls:
                    certificates: [%s]
                """.formatted(dir.resolve("check-store"), site.yaml()));
        return new picocli.CommandLine(new EdgeMain()).execute("--check", "--config", file.toString());
    }

    @Test
    void anExpiredAdminCertificateStopsTheStart() throws Exception {
        TestCertificates.Site expired = ca.expiredSite("expired-admin", List.of("localhost"));

        assertThatThrownBy(() -> EdgeServer.start(config(expired), InstantSource.system()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "admin.tls.certificates[0].cert: " + expired.cert() + ": certificate expired on");
    }
}
