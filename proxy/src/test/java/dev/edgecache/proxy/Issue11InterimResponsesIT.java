package dev.edgecache.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.testing.FakeClock;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.RawOrigin;
import dev.edgecache.proxy.testing.TestEdge;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11.4: interim responses (RFC 9110 §15.2) from an origin written by hand ({@link RawOrigin}) never break the
 * exchange, never leave their fields on the final response or in the store (RFC 9111 §3: only final responses are
 * stored), and a {@code 101} nobody asked for is an origin error.
 */
class Issue11InterimResponsesIT {
    private static final String ROUTES = """
            - {match: /h/**, mode: http}
            - {match: /p/**, mode: persistent}
            - {match: /api/**, mode: pass}
            """;
    private static final String HINTS =
            "HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload; as=style\r\n" + "X-My-Header: test\r\n\r\n";

    @TempDir
    Path dir;

    private RawOrigin origin;
    private EdgeServer edge;

    private void start(RawOrigin.Script script) throws InterruptedException {
        origin = new RawOrigin(script);
        edge = EdgeServer.start(TestEdge.config(origin.port(), dir, ROUTES), new FakeClock());
    }

    @AfterEach
    void stop() throws IOException {
        if (edge != null) edge.close();
        if (origin != null) origin.close();
    }

    private static String status(HttpResponse<String> r) {
        return r.headers().firstValue("Cache-Status").orElse("");
    }

    /** A final 200 with a lifetime, keep-alive. */
    private static void fresh(RawOrigin.Connection c, String body) throws IOException {
        c.write("HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body);
    }

    /** Sends {@code head} on a new connection that the edge closes after its answer, and reads all it sends. */
    private String raw(String head) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), edge.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void earlyHintsReachTheReaderAheadOfTheFinalResponseButAreNeverStored() throws Exception { // RFC 9110 §15.2
        start(c -> {
            while (c.readHead() != null) {
                c.write(HINTS);
                c.write("HTTP/1.1 102 Processing\r\n\r\n");
                fresh(c, "page");
            }
        });
        String first = raw("GET /h/hinted HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(first).startsWith("HTTP/1.1 103 Early Hints\r\n");
        String hints = first.substring(0, first.indexOf("\r\n\r\n"));
        assertThat(hints).contains("Link: </s.css>; rel=preload; as=style", "X-My-Header: test");
        int processing = first.indexOf("HTTP/1.1 102 Processing\r\n");
        int fin = first.indexOf("HTTP/1.1 200 OK\r\n");
        assertThat(processing).isPositive();
        assertThat(fin).isGreaterThan(processing);
        assertThat(first.substring(fin)).doesNotContain("X-My-Header").endsWith("page");

        String second = raw("GET /h/hinted HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(second)
                .startsWith("HTTP/1.1 200 OK\r\n")
                .contains("edge; hit")
                .doesNotContain("X-My-Header");
        assertThat(origin.requestLines()).hasSize(1);
    }

    @Test
    void passRoutesForwardInterimResponsesTooButNeverToAnHttp10Reader() throws Exception { // RFC 9110 §15.2
        start(c -> {
            while (c.readHead() != null) {
                c.write(HINTS);
                c.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
        });
        assertThat(raw("GET /api/me HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 103 Early Hints\r\n")
                .endsWith("ok");
        String old = raw("GET /api/me HTTP/1.0\r\nHost: a\r\n\r\n"); // RFC 9110 §15.2: no 1xx to HTTP/1.0
        assertThat(old).startsWith("HTTP/1.").doesNotContain(" 103 ").endsWith("ok");
    }

    @Test
    void interimResponsesAreSkippedAndOnlyTheFinalOneIsStored() throws Exception { // RFC 9110 §15.2, RFC 9111 §3
        start(c -> {
            String head;
            while ((head = c.readHead()) != null) {
                c.write("HTTP/1.1 100 Continue\r\n\r\n");
                c.write("HTTP/1.1 102 Processing\r\n\r\n");
                c.write(HINTS);
                c.write("HTTP/1.1 103 Early Hints\r\nLink: </app.js>; rel=preload; as=script\r\n\r\n");
                fresh(c, "page for " + head.split(" ")[1]);
            }
        });
        for (String path : new String[] {"/h/a", "/p/a"}) {
            HttpResponse<String> first = Http.get(edge.port(), path);
            HttpResponse<String> second = Http.get(edge.port(), path);
            for (HttpResponse<String> r : java.util.List.of(first, second)) {
                assertThat(r.statusCode()).as(path).isEqualTo(200);
                assertThat(r.body()).as(path).isEqualTo("page for " + path);
                assertThat(r.headers().firstValue("Link")).as(path).isEmpty(); // the 103's fields stay with it
                assertThat(r.headers().firstValue("X-My-Header")).as(path).isEmpty();
            }
            assertThat(status(first)).as(path).isEqualTo("edge; fwd=miss; stored");
            assertThat(status(second)).as(path).isEqualTo("edge; hit");
        }
        assertThat(origin.requestLines()).containsExactly("GET /h/a HTTP/1.1", "GET /p/a HTTP/1.1");
    }

    @Test
    void anInterimResponseArrivingInPiecesWithTheFinalOneIsSkipped() throws Exception {
        start(c -> {
            String head;
            while ((head = c.readHead()) != null) {
                String body = "page for " + head.split(" ")[1];
                // one write: the end of the 103 and the final response share a packet
                c.write("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\n"
                        + "Cache-Control: max-age=600\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            }
        });
        HttpResponse<String> r = Http.get(edge.port(), "/h/b");
        assertThat(r.body()).isEqualTo("page for /h/b");
        assertThat(r.headers().firstValue("Link")).isEmpty();
        assertThat(status(Http.get(edge.port(), "/h/b"))).isEqualTo("edge; hit");
    }

    @Test
    void aHeadAnswerAfterAnInterimOneIsStillReadAsBodiless() throws Exception { // RFC 9110 §9.3.2 on a pass route
        start(c -> {
            String head;
            while ((head = c.readHead()) != null) {
                c.write(HINTS);
                if (head.startsWith("HEAD")) {
                    c.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"); // the length a GET would have
                } else {
                    c.ok("after head");
                }
            }
        });
        HttpResponse<String> head = Http.head(edge.port(), "/api/h");
        assertThat(head.statusCode()).isEqualTo(200);
        HttpResponse<String> next = Http.get(edge.port(), "/api/next");
        assertThat(next.body()).isEqualTo("after head");
        assertThat(origin.connections()).isEqualTo(1); // the connection stayed in step and was reused
    }

    @Test
    void aContinueBeforeThePostAnswerIsSkipped() throws Exception { // RFC 9110 §15.2.1
        start(c -> {
            String head;
            while ((head = c.readHead()) != null) {
                int length = 0;
                for (String line : head.split("\r\n")) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).strip());
                    }
                }
                c.write("HTTP/1.1 100 Continue\r\n\r\n");
                byte[] body = c.readBytes(length);
                c.write("HTTP/1.1 201 Created\r\nContent-Length: " + body.length + "\r\n\r\n"
                        + new String(body, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        });
        HttpResponse<String> r = Http.post(edge.port(), "/api/items", "item=1");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).isEqualTo("item=1");
    }

    @Test
    void anUnaskedSwitchOfProtocolsIsAnOriginErrorAndNothingIsStored() throws Exception { // RFC 9110 §15.2.2
        start(c -> {
            String head;
            while ((head = c.readHead()) != null) {
                if (head.contains("/h/switch")) {
                    c.write("HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n");
                    c.write("\u0081\u0005hello"); // a frame of the other protocol
                    c.closedByPeerWithin(Duration.ofSeconds(5));
                    return;
                }
                fresh(c, "page for " + head.split(" ")[1]);
            }
        });
        HttpResponse<String> r = Http.get(edge.port(), "/h/switch");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(status(r)).contains("detail=");
        assertThat(r.headers().firstValue("Upgrade")).isEmpty();
        HttpResponse<String> again = Http.get(edge.port(), "/h/switch");
        assertThat(again.statusCode()).isEqualTo(502); // not stored, asked again
        assertThat(Http.get(edge.port(), "/h/ok").body()).isEqualTo("page for /h/ok");
    }

    @Test
    void anEndlessRunOfInterimResponsesFailsTheExchangeBeforeItsDeadline() throws Exception {
        start(c -> {
            if (c.readHead() == null) return;
            for (int i = 0; i < 1000; i++) c.write("HTTP/1.1 102 Processing\r\n\r\n");
            c.closedByPeerWithin(Duration.ofSeconds(5));
        });
        HttpResponse<String> r = Http.get(edge.port(), "/h/flood");
        // a protocol error (502) at once, not a 504 when origin.timeout (2s here) runs out
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(status(r)).doesNotContain("timeout");
    }
}
