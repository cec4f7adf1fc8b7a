package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.metrics.Outcome;
import dev.edgecache.proxy.testing.EdgeServerExtension;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 5: range requests on stored pages (RFC 9110 §14), answered from the identity body. */
class RangeIT {
    private static final String BODY = "0123456789".repeat(100); // 1000 bytes, compressed copies exist too
    private static final String LAST_MODIFIED = "Tue, 15 Nov 1994 08:12:31 GMT";

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @RegisterExtension
    final EdgeServerExtension edge = new EdgeServerExtension(origin::getPort);

    private String etag;

    @BeforeEach
    void start() throws InterruptedException {
        origin.stubFor(get("/alice/file")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/plain")
                        .withHeader("Last-Modified", LAST_MODIFIED)
                        .withBody(BODY)));
        HttpResponse<String> whole = Http.get(edge.port(), "/alice/file");
        assertThat(whole.headers().firstValue("Accept-Ranges")).contains("bytes");
        etag = whole.headers().firstValue("ETag").orElseThrow();
    }

    @Test
    void aSingleRangeIsA206WithContentRange() { // §14.2, §15.3.7
        HttpResponse<String> r =
                Http.get(edge.port(), "/alice/file", "Range", "bytes=10-19", "Accept-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.body()).isEqualTo("0123456789");
        assertThat(r.headers().firstValue("Content-Range")).contains("bytes 10-19/1000");
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(10);
        assertThat(r.headers().firstValue("Content-Encoding"))
                .as("ranges apply to the identity body")
                .isEmpty();
        assertThat(r.headers().firstValue("ETag")).contains(etag);
        assertThat(r.headers().firstValue("Cache-Status")).contains("edge; hit");
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/file")).withHeader("Range", absent()));
    }

    @Test
    void suffixAndOpenEndedRanges() { // §14.1.2
        HttpResponse<String> suffix = Http.get(edge.port(), "/alice/file", "Range", "bytes=-3");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo("789");
        assertThat(suffix.headers().firstValue("Content-Range")).contains("bytes 997-999/1000");

        HttpResponse<String> open = Http.get(edge.port(), "/alice/file", "Range", "bytes=995-");
        assertThat(open.body()).isEqualTo("56789");
        assertThat(open.headers().firstValue("Content-Range")).contains("bytes 995-999/1000");
    }

    @Test
    void severalRangesGetTheWhole200() { // §14.2: a server may ignore Range
        HttpResponse<String> r = Http.get(edge.port(), "/alice/file", "Range", "bytes=0-1,5-6");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(BODY);
        assertThat(r.headers().firstValue("Content-Range")).isEmpty();
    }

    @Test
    void ifRangeMatchingGivesTheRangeAndAMismatchTheWholePage() { // §13.1.5
        assertThat(Http.get(edge.port(), "/alice/file", "Range", "bytes=0-4", "If-Range", etag)
                        .statusCode())
                .isEqualTo(206);
        assertThat(Http.get(edge.port(), "/alice/file", "Range", "bytes=0-4", "If-Range", LAST_MODIFIED)
                        .statusCode())
                .isEqualTo(206);

        HttpResponse<String> stale = Http.get(edge.port(), "/alice/file", "Range", "bytes=0-4", "If-Range", "\"old\"");
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(BODY);
        assertThat(Http.get(edge.port(), "/alice/file", "Range", "bytes=0-4", "If-Range", "W/" + etag)
                        .statusCode())
                .as("a weak tag never matches")
                .isEqualTo(200);
        assertThat(Http.get(
                                edge.port(),
                                "/alice/file",
                                "Range",
                                "bytes=0-4",
                                "If-Range",
                                "Wed, 16 Nov 1994 08:12:31 GMT")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void anUnsatisfiableRangeIs416WithTheLength() { // §15.5.17
        HttpResponse<String> r = Http.get(edge.port(), "/alice/file", "Range", "bytes=1000-");
        assertThat(r.statusCode()).isEqualTo(416);
        assertThat(r.headers().firstValue("Content-Range")).contains("bytes */1000");
        assertThat(edge.metrics().requestCount("/{user}/{slug}", Outcome.HIT_MEMORY))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void headAndNon200PagesIgnoreRange() {
        HttpResponse<String> head = Http.head(edge.port(), "/alice/file", "Range", "bytes=0-4");
        assertThat(head.statusCode()).as("only GET has range semantics (§14.2)").isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(1000);

        origin.stubFor(get("/alice/gone").willReturn(aResponse().withStatus(404).withBody("nope")));
        Http.get(edge.port(), "/alice/gone");
        HttpResponse<String> negative = Http.get(edge.port(), "/alice/gone", "Range", "bytes=0-1");
        assertThat(negative.statusCode()).isEqualTo(404);
        assertThat(negative.headers().firstValue("Accept-Ranges")).isEmpty();
    }

    @Test
    void a206FromTheOriginIsNeverStoredAsAPage() {
        origin.stubFor(get("/alice/partial")
                .willReturn(aResponse()
                        .withStatus(206)
                        .withHeader("Content-Range", "bytes 0-1/10")
                        .withBody("01")));

        assertThat(Http.get(edge.port(), "/alice/partial").statusCode()).isEqualTo(206);
        assertThat(Http.get(edge.port(), "/alice/partial").statusCode()).isEqualTo(206);
        origin.verify(2, getRequestedFor(urlEqualTo("/alice/partial")));
        assertThat(edge.store().memory().cache().asMap().keySet())
                .noneMatch(k -> k.key().path().equals("/alice/partial"));
    }
}
