package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.common.testing.FakeClock;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.testing.Await;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.TestEdge;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8.3 and 8.5 end to end, on raw sockets against a real edge: a trickled request head is cut off at its
 * deadline with a 408, one client address cannot open more than its share of connections, and forwarding headers
 * are believed only from trusted proxies.
 */
class ClientConnectionIT {
    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(1);
    private static final int PER_CLIENT = 3;
    private static final String REQUEST = "GET /alice/hello HTTP/1.1\r\nHost: a\r\n\r\n";

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    Path dir;

    private final List<Socket> sockets = new ArrayList<>();
    private EdgeServer edge;

    @BeforeEach
    void originAnswers() {
        origin.stubFor(any(anyUrl()).willReturn(ok("page")));
    }

    private void start(String topLevelYaml) throws InterruptedException {
        edge = EdgeServer.start(
                TestEdge.config(
                        origin.getPort(),
                        dir,
                        TestEdge.DEFAULT_ROUTES,
                        "limits:\n  request-head-timeout: " + HEAD_TIMEOUT.toMillis() + "ms\n"
                                + "  max-connections-per-client: " + PER_CLIENT + "\n" + topLevelYaml),
                new FakeClock());
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) s.close();
        if (edge != null) edge.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), edge.port());
        sockets.add(s);
        s.setSoTimeout(5_000);
        return s;
    }

    private double counter(String name, String... tags) {
        var c = edge.metrics().registry().find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    /** Reads one response with a {@code Content-Length} body, or what there is before the server closes. */
    private static String readResponse(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            out.write(b);
            String text = out.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
                        .matcher(text.substring(0, end));
                int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
                if (text.length() >= end + 4 + length) return text;
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Whether {@code s} got an answer to {@link #REQUEST}: any complete response but a 408. On this shared 2-core box
     * a first WireMock answer can take longer than the test origin timeout, and a 504 is still an answer.
     */
    private static boolean served(Socket s) throws IOException {
        s.getOutputStream().write(REQUEST.getBytes(StandardCharsets.ISO_8859_1));
        String r = readResponse(s);
        return r.startsWith("HTTP/1.1 ") && !r.startsWith("HTTP/1.1 408") && r.contains("\r\n\r\n");
    }

    /** True when the server closed the connection (end of stream or reset) without sending anything. */
    private static boolean closedWithoutAnswer(Socket s) {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Test
    void aHeadTrickledByteByByteGets408AndACloseAtItsDeadline() throws Exception {
        start("");
        Socket s = connect();
        long opened = System.nanoTime();
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        byte[] head = ("GET /alice/hello HTTP/1.1\r\nHost: a\r\nX-Pad: " + "p".repeat(200))
                .getBytes(StandardCharsets.ISO_8859_1);
        s.setSoTimeout(50); // one byte every 50ms: the reader's pace, and how often we look for an answer
        int first = -1;
        for (int i = 0; i < head.length && first < 0; i++) { // 200+ bytes: ten seconds, far past the deadline
            out.write(head[i]);
            out.flush();
            try {
                first = in.read();
            } catch (SocketTimeoutException e) {
                // nothing yet: trickle on
            }
        }
        long answeredMillis = Duration.ofNanos(System.nanoTime() - opened).toMillis();
        assertThat(first).as("an answer before the trickle ended").isEqualTo('H');
        s.setSoTimeout(5_000);
        String response = "H" + readResponse(s);
        assertThat(response).startsWith("HTTP/1.1 408 Request Timeout\r\n").containsIgnoringCase("connection: close");
        assertThat(closedWithoutAnswer(s)).as("closed after the 408").isTrue();
        assertThat(answeredMillis).isBetween(HEAD_TIMEOUT.toMillis() - 100, HEAD_TIMEOUT.toMillis() + 2_000);
        assertThat(counter(EdgeMetrics.CLIENT_HEAD_TIMEOUTS)).isEqualTo(1);
        origin.verify(0, getRequestedFor(anyUrl()));
    }

    @Test
    void aKeepAliveConnectionIdleBetweenRequestsIsNotCutOffByTheHeadDeadline() throws Exception {
        start("");
        Socket s = connect();
        assertThat(served(s)).isTrue();
        // idle for longer than the head deadline: the idle timeout (60s) governs this, not the deadline
        s.setSoTimeout((int) HEAD_TIMEOUT.toMillis() + 500);
        assertThat(closedWithoutAnswer(s)).as("closed while idle").isFalse();
        s.setSoTimeout(5_000);
        assertThat(served(s)).isTrue();
        assertThat(counter(EdgeMetrics.CLIENT_HEAD_TIMEOUTS)).isZero();
    }

    @Test
    void oneClientAddressGetsAtMostItsShareOfConnections() throws Exception {
        start("");
        List<Socket> first = new ArrayList<>();
        for (int i = 0; i < PER_CLIENT; i++) {
            Socket s = connect();
            assertThat(served(s)).as("served, so counted").isTrue();
            first.add(s);
        }
        Socket extra = connect();
        extra.getOutputStream().write(REQUEST.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(closedWithoutAnswer(extra))
                .as("the connection over the cap is closed")
                .isTrue();
        assertThat(counter(EdgeMetrics.CLIENT_CONNECTIONS_REFUSED, "reason", "per-client"))
                .isEqualTo(1);
        for (Socket s : first) { // the first ones are still served
            assertThat(served(s)).isTrue();
        }
        first.get(0).close(); // and a closed connection gives its slot back
        Await.until(Duration.ofSeconds(5), "a slot to come back", () -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), edge.port())) {
                s.setSoTimeout(5_000);
                return served(s);
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    void forwardingHeadersOfAnUntrustedPeerAreReplaced() throws Exception {
        start(""); // no trusted proxies: the loopback reader is the client
        Http.get(
                edge.port(),
                "/alice/one",
                "X-Forwarded-For",
                "10.9.8.7",
                "Via",
                "1.1 lb",
                "X-Forwarded-Proto",
                "https");
        origin.verify(getRequestedFor(urlEqualTo("/alice/one"))
                .withHeader("X-Forwarded-For", equalTo("127.0.0.1"))
                .withHeader("Via", equalTo("1.1 edge"))
                .withHeader("X-Forwarded-Proto", equalTo("http")));
    }

    @Test
    void forwardingHeadersOfATrustedProxyAreExtended() throws Exception {
        start("trusted-proxies: [127.0.0.0/8, \"::1\"]\n");
        Http.get(
                edge.port(),
                "/alice/two",
                "X-Forwarded-For",
                "10.9.8.7",
                "Via",
                "1.1 lb",
                "X-Forwarded-Proto",
                "https");
        origin.verify(getRequestedFor(urlEqualTo("/alice/two"))
                .withHeader("X-Forwarded-For", equalTo("10.9.8.7, 127.0.0.1"))
                .withHeader("Via", equalTo("1.1 lb, 1.1 edge"))
                .withHeader("X-Forwarded-Proto", equalTo("https")));
    }

    @Test
    void anOversizedUserAgentIsCutBeforeTheSharedRender() throws Exception { // issue 8.4
        start("");
        Http.get(edge.port(), "/alice/three", "User-Agent", "Mozilla/5.0 " + "u".repeat(15_000));
        origin.verify(
                getRequestedFor(urlEqualTo("/alice/three")).withHeader("User-Agent", matching("Mozilla/5\\.0 u{244}")));
    }
}
