package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.testing.EdgeServerExtension;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Http.RawResult;
import dev.edgecache.proxy.testing.Origins;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP/1.1 on a raw socket (RFC 9112): framing errors, limits, keep-alive and pipelining. */
class ClientProtocolIT {
    private static final Duration WAIT = Duration.ofMillis(1500);

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @RegisterExtension
    final EdgeServerExtension edge = new EdgeServerExtension(origin::getPort);

    @BeforeEach
    void start() throws InterruptedException {
        origin.stubFor(any(anyUrl()).willReturn(ok("page")));
    }

    private RawResult send(String request) {
        return Http.raw(edge.port(), request, WAIT);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "POST /api/x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "POST /api/x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
                "GET /alice/hello HTTP/1.1\r\n\r\n",
                "GET /alice/hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                "GET /alice/hello HTTP/1.1\r\nHost: a\r\nBad\u0001Name: x\r\n\r\n",
                "GET /alice/hello HTTP/1.1\r\nHost: a\r\nNo colon here\r\n\r\n",
                "GET /alice/hello HTTP/1.1\nHost: a\n\n",
            })
    void badFramingGets400AndTheConnectionIsClosedAndNothingIsForwarded(String request) {
        RawResult r = send(request);
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 400 Bad Request");
        assertThat(r.closedByServer()).isTrue();
        origin.verify(0, anyRequestedFor(anyUrl()));
    }

    /** Issue 10: origin-to-edge endpoints are not part of the reader port, however the path is spelled. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/_edge/critical?limit=5000", "/_edge/health", "/%5Fedge/critical", "//_edge/critical"})
    void internalEndpointsAreNotServedToReaders(String target) {
        RawResult r = send("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 404 Not Found");
        assertThat(r.text()).contains("Cache-Status: edge; detail=internal-path");
        origin.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anOverlongRequestLineGets414() {
        RawResult r = send("GET /alice/" + "a".repeat(9000) + " HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 414 Request-URI Too Long");
        assertThat(r.closedByServer()).isTrue();
    }

    @Test
    void oversizedHeadersGet431() {
        RawResult r = send("GET /alice/hello HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 431 Request Header Fields Too Large");
        assertThat(r.closedByServer()).isTrue();
    }

    @Test
    void anOversizedBodyGets413() {
        RawResult r = send("POST /api/x HTTP/1.1\r\nHost: a\r\nContent-Length: 20000000\r\n\r\nabc");
        assertThat(r.statusLine()).startsWith("HTTP/1.1 413");
        origin.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anEncodedSlashGets400ButTheConnectionSurvives() {
        RawResult r =
                send("GET /alice%2Fhello HTTP/1.1\r\nHost: a\r\n\r\nGET /alice/hello HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 400 Bad Request");
        assertThat(r.text()).contains("encoded '/' in path");
        assertThat(r.count("HTTP/1.1 200 OK")).isEqualTo(1);
        assertThat(r.closedByServer()).isFalse();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        origin.stubFor(get("/alice/slow").willReturn(ok("slow").withFixedDelay(300)));
        origin.stubFor(get("/alice/fast").willReturn(ok("fast")));
        RawResult r = send("GET /alice/slow HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /alice/fast HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /alice/fast HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /alice/slow HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(r.count("HTTP/1.1 200 OK")).isEqualTo(4);
        int slow = r.text().indexOf("\r\n\r\nslow");
        int fast = r.text().indexOf("\r\n\r\nfast");
        assertThat(slow).isPositive().isLessThan(fast);
        assertThat(r.text().lastIndexOf("slow")).isGreaterThan(r.text().lastIndexOf("fast"));
        assertThat(r.closedByServer()).as("Connection: close is honoured").isTrue();
    }

    /**
     * RFC 9112 §9.3.2: the aggregator's own answer to a pipelined request (100 Continue, 413, 417) waits for the
     * response owed to the request ahead; before, it went out first and the client took it for that response.
     */
    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Expect: 100-continue\\r\\nContent-Length: 5\\r\\n\\r\\n | HTTP/1.1 100 Continue",
                "Expect: 100-continue\\r\\nContent-Length: 20000000\\r\\n\\r\\n | HTTP/1.1 413 Request Entity Too Large",
                "Expect: something-else\\r\\nContent-Length: 5\\r\\n\\r\\n | HTTP/1.1 417 Expectation Failed",
                "Content-Length: 20000000\\r\\n\\r\\nabc | HTTP/1.1 413 Request Entity Too Large",
            })
    void anEarlyAnswerToAPipelinedRequestWaitsForTheResponseAhead(String postHead, String earlyAnswer) {
        origin.stubFor(get("/alice/slow").willReturn(ok("slow").withFixedDelay(300)));
        RawResult r = send("GET /alice/slow HTTP/1.1\r\nHost: a\r\n\r\n" + "POST /api/x HTTP/1.1\r\nHost: a\r\n"
                + postHead.replace("\\r\\n", "\r\n"));
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        int early = r.text().indexOf(earlyAnswer);
        assertThat(early).as(r.text()).isGreaterThan(r.text().indexOf("\r\n\r\nslow"));
        origin.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void http10WithoutKeepAliveIsClosedAfterTheResponse() {
        RawResult r = send("GET /alice/hello HTTP/1.0\r\n\r\n");
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK"); // HTTP/1.0 needs no Host
        assertThat(r.closedByServer()).isTrue();
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() {
        RawResult r = send("GET /alice/hello HTTP/1.1\r\nHost: a\r\n\r\n".repeat(5));
        assertThat(r.count("HTTP/1.1 200 OK")).isEqualTo(5);
        assertThat(r.closedByServer()).isFalse();
    }
}
