package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.TestCertificates;
import dev.edgecache.proxy.testing.TestEdge;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's optional plain-port redirect ({@code tls.redirect-plain}): GET and HEAD on the plain port get {@code
 * 308} to the same host, path and query on the TLS port, one after another on a kept-alive connection, without
 * reaching the origin; other methods, ACME challenges, and a trusted TLS terminator saying {@code X-Forwarded-Proto:
 * https} are served as before, and the TLS and admin ports are not affected.
 */
class TlsRedirectIT {
    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    Path dir;

    @Test
    void getAndHeadOnThePlainPortAreRedirectedToTheTlsPort() throws Exception {
        origin.stubFor(any(urlPathEqualTo("/alice/page")).willReturn(ok("page")));
        origin.stubFor(any(urlPathEqualTo("/.well-known/acme-challenge/token")).willReturn(ok("proof")));
        TestCertificates ca = TestCertificates.createCa(dir);
        try (EdgeServer edge = startRedirecting(ca)) {
            String https = "https://a.example:" + edge.tlsPort();
            try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), edge.port())) {
                plain.setSoTimeout(10_000);
                String get = exchange(plain, "GET /alice/page?x=1&y=%20 HTTP/1.1\r\nHost: a.example:8080\r\n\r\n");
                assertThat(get).startsWith("HTTP/1.1 308 Permanent Redirect\r\n");
                assertThat(header(get, "location")).isEqualTo(https + "/alice/page?x=1&y=%20");
                String head = exchange(plain, "HEAD /alice/page HTTP/1.1\r\nHost: a.example\r\n\r\n");
                assertThat(head).as("the next request on the same connection").startsWith("HTTP/1.1 308 ");
                assertThat(header(head, "location")).isEqualTo(https + "/alice/page");

                String post =
                        exchange(plain, "POST /alice/page HTTP/1.1\r\nHost: a.example\r\nContent-Length: 2\r\n\r\nhi");
                assertThat(post).as("other methods are served").startsWith("HTTP/1.1 200 ");
                String acme =
                        exchange(plain, "GET /.well-known/acme-challenge/token HTTP/1.1\r\nHost: a.example\r\n\r\n");
                assertThat(acme)
                        .as("ACME challenges are served over plain HTTP")
                        .startsWith("HTTP/1.1 200 ");
                String behindTls = exchange(
                        plain, "GET /alice/page HTTP/1.1\r\nHost: a.example\r\nX-Forwarded-Proto: https\r\n\r\n");
                assertThat(behindTls)
                        .as("a trusted TLS terminator in front of the plain port is not sent round in a loop")
                        .startsWith("HTTP/1.1 200 ");
                String noHost = exchange(plain, "GET /alice/page HTTP/1.1\r\nHost: evil.example/x\r\n\r\n");
                assertThat(noHost)
                        .as("a Host that is no host name is never echoed")
                        .doesNotContain("Location");
            }
            origin.verify(0, anyRequestedFor(urlPathEqualTo("/alice/page")).withQueryParam("x", equalTo("1")));

            try (HttpClient client = HttpClient.newBuilder()
                    .sslContext(ca.clientContext())
                    .connectTimeout(Duration.ofSeconds(5))
                    .build()) {
                HttpResponse<String> tls = client.send(
                        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + edge.tlsPort() + "/alice/page"))
                                .timeout(Duration.ofSeconds(20))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(tls.statusCode()).as("the TLS port serves").isEqualTo(200);
            }
            assertThat(Http.get(edge.adminPort(), "/healthz").statusCode()).isEqualTo(200);
        }
    }

    /**
     * A redirected request that had waited behind another pipelined request is answered, and so is the one after it:
     * the redirect asks for the next request itself, since the request handler never saw the one it answered.
     */
    @Test
    void pipelinedRequestsAfterAWaitingRedirectAreAnswered() throws Exception {
        origin.stubFor(any(urlPathEqualTo("/alice/page")).willReturn(ok("page").withFixedDelay(300)));
        try (EdgeServer edge = startRedirecting(TestCertificates.createCa(dir));
                Socket plain = new Socket(InetAddress.getLoopbackAddress(), edge.port())) {
            plain.setSoTimeout(10_000);
            String post = exchange(
                    plain,
                    "POST /alice/page HTTP/1.1\r\nHost: a.example\r\nContent-Length: 2\r\n\r\nhi"
                            + "GET /alice/page HTTP/1.1\r\nHost: a.example\r\n\r\n"
                            + "HEAD /alice/page HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertThat(post).as("the POST, answered by the origin after 300 ms").startsWith("HTTP/1.1 200 ");
            // nothing more to send: the next answers, each with Content-Length: 0
            assertThat(exchange(plain, "")).as("the GET that waited").startsWith("HTTP/1.1 308 ");
            assertThat(exchange(plain, "")).as("the HEAD after it").startsWith("HTTP/1.1 308 ");
        }
    }

    private EdgeServer startRedirecting(TestCertificates ca) throws Exception {
        TestCertificates.Site site = ca.site("a", List.of("a.example"));
        String top = "trusted-proxies: [127.0.0.1/32]\ntls:\n  listen: 127.0.0.1:0\n  redirect-plain: true\n"
                + "  certificates:\n    - " + site.yaml() + "\n";
        return EdgeServer.start(
                TestEdge.config(
                        origin.getPort(),
                        Files.createTempDirectory(dir, "store-"),
                        "- {match: \"/**\", mode: persistent}",
                        top),
                InstantSource.system());
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return "";
    }

    /** One request on {@code socket}; returns the head and the body (read by Content-Length). */
    private static String exchange(Socket socket, String request) throws Exception {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) return head.toString(StandardCharsets.ISO_8859_1);
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        String length = header(text, "content-length");
        boolean noBody = request.startsWith("HEAD ");
        return text
                + (noBody || length.isEmpty()
                        ? ""
                        : new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.ISO_8859_1));
    }
}
