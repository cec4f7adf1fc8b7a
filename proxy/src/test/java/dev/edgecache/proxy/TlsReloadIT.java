package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.testing.Await;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.TestCertificates;
import dev.edgecache.proxy.testing.TestEdge;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
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
 * Issue 13: certificates reload without a restart when their files change; a connection made before the reload
 * keeps its certificate and goes on being served, new connections get the new one, and a changed file that cannot
 * be used (here: expired) is refused while the previous certificate stays.
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
        SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        SSLParameters params = socket.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName("a.example")));
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
