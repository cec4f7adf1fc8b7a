package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.common.config.EdgeConfig;
import dev.edgecache.proxy.testing.Admin;
import dev.edgecache.proxy.testing.Await;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.TestCertificates;
import dev.edgecache.proxy.testing.TestEdge;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: certificates reload without a restart when their files change and on {@code POST /reload} (which also
 * takes a changed certificate list), on the reader's TLS port and on the admin port; a connection made before the
 * reload keeps its certificate and goes on being served, new connections get the new one, and a certificate that
 * cannot be used (here: expired) is refused while the previous set stays.
 */
class TlsReloadIT {
    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    Path dir;

    @Test
    void changedFilesAreTakenByNewConnectionsAndABadChangeKeepsThePrevious() throws Exception {
        origin.stubFor(get("/alice/r").willReturn(aResponse().withStatus(200).withBody("r")));
        TestCertificates ca = TestCertificates.createCa(dir);
        TestCertificates.Site v1 = ca.site("v1", List.of("a.example"));
        TestCertificates.Site v2 = ca.site("v2", List.of("a.example"));
        TestCertificates.Site expired = ca.expiredSite("v3", List.of("a.example"));
        TestCertificates.Site live = new TestCertificates.Site(dir.resolve("live.crt"), dir.resolve("live.key"));
        install(v1, live);
        String tls = "tls:\n  listen: 127.0.0.1:0\n  certificates:\n    - " + live.yaml() + "\n";
        SSLContext trust = ca.clientContext();
        try (EdgeServer edge = EdgeServer.start(
                        TestEdge.config(
                                origin.getPort(),
                                Files.createTempDirectory(dir, "store-"),
                                "- {match: \"/{user}/{slug}\", mode: persistent}",
                                tls),
                        InstantSource.system());
                SSLSocket before = connect(trust, edge.tlsPort())) {
            assertThat(serial(before)).isEqualTo(serialOf(v1));
            assertThat(exchange(before)).startsWith("HTTP/1.1 200 OK");

            install(v2, live);
            Await.until(
                    Duration.ofSeconds(20),
                    "the new certificate taken",
                    () -> edge.tls().reloads() >= 1);
            try (SSLSocket after = connect(trust, edge.tlsPort())) {
                assertThat(serial(after)).isEqualTo(serialOf(v2));
                assertThat(exchange(after)).startsWith("HTTP/1.1 200 OK");
            }
            assertThat(exchange(before))
                    .as("the old connection is still served")
                    .startsWith("HTTP/1.1 200 OK");
            assertThat(serial(before)).isEqualTo(serialOf(v1));

            long refusals = edge.tls().refusals();
            install(expired, live);
            Await.until(
                    Duration.ofSeconds(20),
                    "the expired certificate refused",
                    () -> edge.tls().refusals() > refusals);
            try (SSLSocket later = connect(trust, edge.tlsPort())) {
                assertThat(serial(later)).as("the previous certificate stays").isEqualTo(serialOf(v2));
            }
            assertThat(edge.tls().reloads()).isEqualTo(1);
        }
    }

    /**
     * {@code POST /reload} re-reads the certificate files at once (the file check runs once an hour here, so only the
     * call can have done it), takes a changed {@code tls.certificates} list (a site added, a path changed) for new
     * connections while an open connection keeps its certificate, answers {@code unchanged} when nothing changed,
     * and refuses a bad set (expired) with the reason, keeping the previous one. Other {@code tls} keys still need a
     * restart.
     */
    @Test
    void postReloadTakesCertificatesAtOnceAndRefusesABadSet() throws Exception {
        origin.stubFor(get("/alice/r").willReturn(aResponse().withStatus(200).withBody("r")));
        TestCertificates ca = TestCertificates.createCa(dir);
        TestCertificates.Site v1 = ca.site("v1", List.of("a.example"));
        TestCertificates.Site v2 = ca.site("v2", List.of("a.example"));
        TestCertificates.Site b = ca.site("b", List.of("b.example"));
        TestCertificates.Site expired = ca.expiredSite("old", List.of("a.example"));
        TestCertificates.Site live = new TestCertificates.Site(dir.resolve("live.crt"), dir.resolve("live.key"));
        install(v1, live);
        Path store = Files.createTempDirectory(dir, "store-");
        Path file = dir.resolve("edge.yaml");
        writeConfig(file, store, "", live);
        SSLContext trust = ca.clientContext();
        try (EdgeServer edge = EdgeServer.start(EdgeConfig.load(file), file, InstantSource.system(), NO_FILE_CHECK);
                SSLSocket before = connect(trust, edge.tlsPort(), "a.example")) {
            Admin admin = new Admin(edge.adminPort());
            assertThat(serial(before)).isEqualTo(serialOf(v1));
            assertThat(exchange(before)).startsWith("HTTP/1.1 200 OK");

            install(v2, live); // same paths, new contents
            JsonNode reloaded = admin.postJson("/reload", "");
            assertThat(reloaded.get("tls").asText()).isEqualTo("reloaded");
            assertThat(reloaded.get("restart-needed-for").toString()).isEqualTo("[]");
            try (SSLSocket after = connect(ca.clientContext(), edge.tlsPort(), "a.example")) {
                assertThat(serial(after)).as("a new connection, at once").isEqualTo(serialOf(v2));
                assertThat(exchange(after)).startsWith("HTTP/1.1 200 OK");
            }
            assertThat(exchange(before))
                    .as("the open connection is still served")
                    .startsWith("HTTP/1.1 200 OK");
            assertThat(serial(before)).as("with its certificate").isEqualTo(serialOf(v1));
            assertThat(admin.postJson("/reload", "").get("tls").asText()).isEqualTo("unchanged");

            writeConfig(file, store, "", live, b); // a site added
            assertThat(admin.postJson("/reload", "").get("tls").asText()).isEqualTo("reloaded");
            try (SSLSocket bSite = connect(ca.clientContext(), edge.tlsPort(), "b.example");
                    SSLSocket aSite = connect(ca.clientContext(), edge.tlsPort(), "a.example")) {
                assertThat(serial(bSite)).isEqualTo(serialOf(b));
                assertThat(serial(aSite)).isEqualTo(serialOf(v2));
            }

            writeConfig(file, store, "", expired, b); // a path changed, to an expired certificate
            JsonNode refused = admin.postJson("/reload", "");
            assertThat(refused.get("tls").asText())
                    .startsWith("refused: tls.certificates[0].cert: " + expired.cert())
                    .contains("expired");
            assertThat(refused.get("routes").asInt())
                    .as("the routes are reloaded all the same")
                    .isEqualTo(1);
            try (SSLSocket aSite = connect(ca.clientContext(), edge.tlsPort(), "a.example");
                    SSLSocket bSite = connect(ca.clientContext(), edge.tlsPort(), "b.example")) {
                assertThat(serial(aSite)).as("the previous set stays").isEqualTo(serialOf(v2));
                assertThat(serial(bSite)).isEqualTo(serialOf(b));
            }
            assertThat(edge.tls().refusals()).isEqualTo(1);
            assertThat(edge.tls().reloads()).isEqualTo(2);

            writeConfig(file, store, "  http2: false\n", live, b); // a key other than the certificates
            JsonNode restart = admin.postJson("/reload", "");
            assertThat(restart.get("restart-needed-for").toString()).isEqualTo("[\"tls\"]");
            assertThat(restart.get("tls").asText()).isEqualTo("unchanged");
        }
    }

    /**
     * The admin port's certificates ({@code admin.tls}) reload like the reader port's: on {@code POST /reload} at
     * once (the file check being an hour away), and on a file change by the check; a new admin connection gets
     * the new certificate.
     */
    @Test
    void adminCertificatesReloadOnPostReloadAndOnFileChange() throws Exception {
        TestCertificates ca = TestCertificates.createCa(dir);
        TestCertificates.Site v1 = ca.site("admin1", List.of("localhost"));
        TestCertificates.Site v2 = ca.site("admin2", List.of("localhost"));
        TestCertificates.Site v3 = ca.site("admin3", List.of("localhost"));
        TestCertificates.Site live = new TestCertificates.Site(dir.resolve("admin.crt"), dir.resolve("admin.key"));
        install(v1, live);
        Path store = Files.createTempDirectory(dir, "store-");
        Path file = dir.resolve("edge.yaml");
        writeConfig(file, store, live);
        SSLContext trust = ca.clientContext();
        try (EdgeServer edge = EdgeServer.start(EdgeConfig.load(file), file, InstantSource.system(), NO_FILE_CHECK)) {
            assertThat(adminSerial(ca.clientContext(), edge.adminPort())).isEqualTo(serialOf(v1));
            install(v2, live);
            HttpResponse<String> reload = adminPost(trust, edge.adminPort(), "/reload");
            assertThat(reload.statusCode()).isEqualTo(200);
            assertThat(Admin.json(reload).get("admin-tls").asText()).isEqualTo("reloaded");
            assertThat(Admin.json(reload).has("tls"))
                    .as("no reader TLS port here")
                    .isFalse();
            assertThat(adminSerial(ca.clientContext(), edge.adminPort())).isEqualTo(serialOf(v2));
            assertThat(edge.adminTls().reloads()).isEqualTo(1);
        }
        install(v1, live);
        try (EdgeServer edge =
                EdgeServer.start(EdgeConfig.load(file), file, InstantSource.system(), Duration.ofMillis(100))) {
            assertThat(adminSerial(ca.clientContext(), edge.adminPort())).isEqualTo(serialOf(v1));
            install(v3, live);
            Await.until(
                    Duration.ofSeconds(20),
                    "the admin certificate reloaded",
                    () -> edge.adminTls().reloads() >= 1);
            assertThat(adminSerial(ca.clientContext(), edge.adminPort())).isEqualTo(serialOf(v3));
        }
    }

    /** The file check's period in tests that must show {@code POST /reload} did the reload: never within a test. */
    private static final Duration NO_FILE_CHECK = Duration.ofHours(1);

    /** An edge config with a TLS port serving {@code sites}, plus {@code tlsKeys} (indented two spaces). */
    private void writeConfig(Path file, Path store, String tlsKeys, TestCertificates.Site... sites) throws IOException {
        StringBuilder tls = new StringBuilder("tls:\n  listen: 127.0.0.1:0\n")
                .append(tlsKeys)
                .append("  certificates:\n");
        for (TestCertificates.Site site : sites)
            tls.append("    - ").append(site.yaml()).append('\n');
        Files.writeString(file, """
                listen: 127.0.0.1:0
                origin: {url: "http://127.0.0.1:%d"}
                store: {path: %s}
                admin: {listen: "127.0.0.1:0", token: %s}
                routes:
                  - {match: "/{user}/{slug}", mode: persistent}
                """.formatted(origin.getPort(), store, TestEdge.TOKEN) + tls);
    }

    /** An edge config without a reader TLS port, whose admin port speaks HTTPS with {@code site}. */
    private void writeConfig(Path file, Path store, TestCertificates.Site site) throws IOException {
        Files.writeString(file, """
                listen: 127.0.0.1:0
                origin: {url: "http://127.0.0.1:%d"}
                store: {path: %s}
                admin:
                  listen: 127.0.0.1:0
                  token: %s
                  tls: {certificates: [%s]}
                routes:
                  - {match: "/{user}/{slug}", mode: persistent}
                """.formatted(origin.getPort(), store, TestEdge.TOKEN, site.yaml()));
    }

    /** An admin call over a new HTTPS connection (a new client: no connection is reused). */
    private static HttpResponse<String> adminPost(SSLContext trust, int port, String path) throws Exception {
        try (HttpClient client = HttpClient.newBuilder()
                .sslContext(trust)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build()) {
            return client.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                            .header("Authorization", "Bearer " + TestEdge.TOKEN)
                            .timeout(Duration.ofSeconds(20))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The serial of the certificate a new admin connection gets. */
    private static BigInteger adminSerial(SSLContext trust, int port) throws Exception {
        try (SSLSocket socket = connect(trust, port, "localhost")) {
            return serial(socket);
        }
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

    private static BigInteger serial(SSLSocket socket) throws Exception {
        return ((java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }

    private static SSLSocket connect(SSLContext trust, int port) throws Exception {
        return connect(trust, port, "a.example");
    }

    private static SSLSocket connect(SSLContext trust, int port, String sni) throws Exception {
        SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        SSLParameters params = socket.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName(sni)));
        params.setApplicationProtocols(new String[] {"http/1.1"});
        socket.setSSLParameters(params);
        socket.startHandshake();
        return socket;
    }

    /** One keep-alive HTTP/1.1 GET on {@code socket}; returns the head and the body (read by Content-Length). */
    private static String exchange(SSLSocket socket) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write("GET /alice/r HTTP/1.1\r\nHost: a.example\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) return head.toString(StandardCharsets.ISO_8859_1);
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }
}
