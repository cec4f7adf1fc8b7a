package dev.edgecache.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.testing.FakeClock;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Http.RawResult;
import dev.edgecache.proxy.testing.RawOrigin;
import dev.edgecache.proxy.testing.TestEdge;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, request smuggling: one reader's bytes must never answer another reader's request. The origin here is
 * written by hand ({@link RawOrigin}) and as naive as real ones are: it reads a request head, ignores any body it
 * does not expect, and takes what follows for the next request.
 */
class OriginFramingIT {
    private static final String ROUTES = """
            - {match: /dashboard/**, mode: pass}
            - {match: /upload, mode: pass}
            - {match: /raw/**, mode: pass, forward-request-body: true}
            - {match: /p/**, mode: persistent}
            """;

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

    /** Answers every request head with a page naming its target, reading no body. */
    private static void echoTargets(RawOrigin.Connection c) throws IOException {
        String head;
        while ((head = c.readHead()) != null) {
            c.ok("page for " + head.split(" ")[1]);
        }
    }

    @Test
    void aGetBodyOnAPassRouteIsNotForwardedSoItCannotBecomeASecondRequest() throws Exception {
        start(OriginFramingIT::echoTargets);
        String smuggled = "GET /p/poisoned HTTP/1.1\r\nHost: x\r\n\r\n";
        RawResult r = Http.raw(
                edge.port(),
                "GET /dashboard/a HTTP/1.1\r\nHost: x\r\nContent-Length: " + smuggled.length() + "\r\n\r\n" + smuggled,
                Duration.ofMillis(1500));
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(r.text()).endsWith("page for /dashboard/a");

        HttpResponse<String> page = Http.get(edge.port(), "/p/other");
        assertThat(page.body()).isEqualTo("page for /p/other");
        assertThat(origin.requestLines()).containsExactly("GET /dashboard/a HTTP/1.1", "GET /p/other HTTP/1.1");
    }

    @Test
    void headAndDeleteBodiesAreDroppedToo() throws Exception {
        start(OriginFramingIT::echoTargets);
        String smuggled = "GET /p/poisoned HTTP/1.1\r\nHost: x\r\n\r\n";
        for (String method : new String[] {"HEAD", "DELETE"}) {
            Http.raw(
                    edge.port(),
                    method + " /dashboard/a HTTP/1.1\r\nHost: x\r\nContent-Length: " + smuggled.length() + "\r\n\r\n"
                            + smuggled,
                    Duration.ofMillis(800));
        }
        assertThat(origin.requestLines()).noneMatch(l -> l.contains("poisoned"));
    }

    @Test
    void aRouteThatAsksForGetBodiesGetsThemWithTheirLength() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        start(c -> {
            String head = c.readHead();
            int length = Integer.parseInt(head.replaceAll("(?s).*[Cc]ontent-[Ll]ength: *(\\d+).*", "$1"));
            seen.complete(new String(c.readBytes(length), java.nio.charset.StandardCharsets.UTF_8));
            c.ok("ok");
        });
        Http.send(java.net.http.HttpRequest.newBuilder(Http.uri(edge.port(), "/raw/search"))
                .method("GET", java.net.http.HttpRequest.BodyPublishers.ofString("{\"q\":1}")));
        assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo("{\"q\":1}");
    }

    /**
     * The origin answers, then sends the start of a response nobody asked for (the answer to a smuggled request). The
     * edge must drop that connection, not keep it pooled for the next reader, who would get the rest as its page.
     */
    @Test
    void bytesFromTheOriginWithNoRequestOutstandingCloseThePooledConnection() throws Exception {
        CompletableFuture<Boolean> firstClosed = new CompletableFuture<>();
        CompletableFuture<Void> sendUnasked = new CompletableFuture<>();
        start(c -> {
            if (c.index == 1) {
                c.readHead();
                c.ok("one");
                sendUnasked.join();
                c.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nEVIL");
                firstClosed.complete(c.closedByPeerWithin(Duration.ofSeconds(5)));
            } else {
                echoTargets(c);
            }
        });
        assertThat(Http.get(edge.port(), "/p/one").body()).isEqualTo("one");
        sendUnasked.complete(null);

        assertThat(firstClosed.get(10, TimeUnit.SECONDS))
                .as("the edge closed the poisoned connection")
                .isTrue();
        assertThat(Http.get(edge.port(), "/p/two").body()).isEqualTo("page for /p/two");
        assertThat(dropped("unsolicited-bytes")).isEqualTo(1);
    }

    /**
     * An origin sends more body than its {@code Content-Length} says: the rest is decoded as the start of the next
     * response on that connection, which then reads as malformed. A GET that meets it on a pooled connection is
     * retried once on a new one, so the reader gets the page and not a 502.
     */
    @Test
    void aGetThatMeetsWhatAnEarlierResponseLeftOnAPooledConnectionIsRetriedFresh() throws Exception {
        start(c -> {
            if (c.index == 1) {
                c.readHead();
                c.write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nCache-Control: no-store\r\n\r\noneEXTRA");
                c.readHead();
                c.ok("two, after garbage"); // read by the edge as "EXTRAHTTP/1.1 200 OK": malformed
                c.closedByPeerWithin(Duration.ofSeconds(5));
            } else {
                echoTargets(c);
            }
        });
        assertThat(Http.get(edge.port(), "/dashboard/one").body()).isEqualTo("one");
        HttpResponse<String> second = Http.get(edge.port(), "/dashboard/two");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo("page for /dashboard/two");
        assertThat(origin.connections()).isEqualTo(2);
    }

    /**
     * The origin refuses an upload without reading its body. What is left of the body would be read as the next
     * request on that connection, so the edge must not reuse it.
     */
    @Test
    void aConnectionWhoseRequestBodyTheOriginMayNotHaveReadIsNotReused() throws Exception {
        start(c -> {
            String head = c.readHead();
            if (head.startsWith("POST")) {
                c.write("HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\n\r\n");
                c.closedByPeerWithin(Duration.ofSeconds(5)); // the body stays unread
            } else {
                c.ok("page for " + head.split(" ")[1]);
                echoTargets(c);
            }
        });
        HttpResponse<String> refused = Http.post(edge.port(), "/upload", "x".repeat(100_000));
        assertThat(refused.statusCode()).isEqualTo(413);

        assertThat(Http.get(edge.port(), "/p/next").body()).isEqualTo("page for /p/next");
        assertThat(origin.connections()).isEqualTo(2);
        assertThat(dropped("unread-body") + dropped("early-response")).isEqualTo(1);
    }

    @Test
    void interimResponsesAreSkippedAndTheFinalOneAnswers() throws Exception {
        start(c -> {
            String head;
            while ((head = c.readHead()) != null) {
                c.write("HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n");
                c.ok("page for " + head.split(" ")[1]);
            }
        });
        HttpResponse<String> first = Http.get(edge.port(), "/p/a");
        HttpResponse<String> second = Http.get(edge.port(), "/p/b");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("page for /p/a");
        assertThat(first.headers().firstValue("Link")).isEmpty(); // 103 fields are not the final response's
        assertThat(second.body()).isEqualTo("page for /p/b");
    }

    private double dropped(String reason) {
        return edge.metrics()
                .registry()
                .get(EdgeMetrics.ORIGIN_CONNECTIONS_DROPPED)
                .tag("reason", reason)
                .counter()
                .count();
    }
}
