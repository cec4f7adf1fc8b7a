package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's optional HSTS ({@code tls.hsts}): every answer on the TLS port carries {@code Strict-Transport-Security},
 * over HTTP/1.1 and h2, even when the origin did not send it; the plain port's answers never do, also when they are
 * hits on a page stored from a TLS request (so the header is not part of the stored page).
 */
class TlsHstsIT {
    static final String HSTS = "max-age=600; includeSubDomains";

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    Path dir;

    @Test
    void theTlsPortSendsHstsAndThePlainPortAndTheStoredPageDoNot() throws Exception {
        origin.stubFor(get("/alice/page").willReturn(ok("page")));
        TestCertificates ca = TestCertificates.createCa(dir);
        TestCertificates.Site site = ca.site("a", List.of("a.example"));
        String tls =
                "tls:\n  listen: 127.0.0.1:0\n  hsts: \"" + HSTS + "\"\n  certificates:\n    - " + site.yaml() + "\n";
        try (EdgeServer edge = EdgeServer.start(
                TestEdge.config(
                        origin.getPort(),
                        Files.createTempDirectory(dir, "store-"),
                        "- {match: \"/{user}/{slug}\", mode: persistent}",
                        tls),
                InstantSource.system())) {
            HttpResponse<String> first = https(ca.clientContext(), edge.tlsPort(), HttpClient.Version.HTTP_1_1);
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("Cache-Status")).hasValue("edge; fwd=miss; stored");
            assertThat(first.headers().firstValue("Strict-Transport-Security")).hasValue(HSTS);

            HttpResponse<String> plain = Http.get(edge.port(), "/alice/page");
            assertThat(plain.statusCode()).isEqualTo(200);
            assertThat(plain.headers().firstValue("Cache-Status"))
                    .as("the page stored from the TLS request")
                    .hasValue("edge; hit");
            assertThat(plain.headers().firstValue("Strict-Transport-Security"))
                    .as("never on plain HTTP, and not stored with the page")
                    .isEmpty();

            HttpResponse<String> h2 = https(ca.clientContext(), edge.tlsPort(), HttpClient.Version.HTTP_2);
            assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(h2.headers().firstValue("Cache-Status")).hasValue("edge; hit");
            assertThat(h2.headers().firstValue("Strict-Transport-Security")).hasValue(HSTS);
        }
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/page")));
    }

    private static HttpResponse<String> https(SSLContext trust, int port, HttpClient.Version version) throws Exception {
        try (HttpClient client = HttpClient.newBuilder()
                .version(version)
                .sslContext(trust)
                .connectTimeout(Duration.ofSeconds(5))
                .build()) {
            return client.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/alice/page"))
                            .timeout(Duration.ofSeconds(20))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
