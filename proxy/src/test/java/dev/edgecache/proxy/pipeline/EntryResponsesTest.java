package dev.edgecache.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.store.Encoded;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.cache.RouteTable;
import dev.edgecache.proxy.metrics.Outcome;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which stored bytes and status answer a request (issue 5): negotiation (RFC 9110 §12.5.3), validators per
 * representation (§8.8.3, §13.1.2), and ranges (§14) with their precedence (§13.2.2: If-None-Match first).
 */
class EntryResponsesTest {
    private static final byte[] BODY = "0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final StoredEntry ENTRY = new StoredEntry(
                    200,
                    List.of(new Header("Content-Type", "text/plain")),
                    BODY,
                    0,
                    StoredEntry.NEVER,
                    StoredEntry.NEVER,
                    "\"t\"",
                    List.of(),
                    "v1",
                    0)
            .withEncodings(List.of(new Encoded("br", new byte[] {1, 2}), new Encoded("gzip", new byte[] {3, 4, 5})));

    @ParameterizedTest(name = "{0} AE=[{1}] Range=[{2}] INM=[{3}] -> {4} {5} {6}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                // method|Accept-Encoding|Range|If-None-Match|status|Content-Encoding|ETag|Content-Length|Content-Range
                "GET|-|-|-|200|-|\"t\"|10|-",
                "GET|gzip|-|-|200|gzip|\"t-gzip\"|3|-",
                "GET|gzip, br|-|-|200|br|\"t-br\"|2|-",
                "HEAD|gzip|-|-|200|gzip|\"t-gzip\"|3|-",
                "GET|gzip|-|\"t-gzip\"|304|-|\"t-gzip\"|3|-", // the selected representation's tag matches
                "GET|gzip|-|\"t\"|200|gzip|\"t-gzip\"|3|-", // another representation's tag does not
                "GET|gzip|bytes=2-4|-|206|-|\"t\"|3|bytes 2-4/10", // ranges over the identity body
                "GET|gzip|bytes=-2|\"t\"|304|-|\"t\"|10|-", // If-None-Match before Range, on the identity tag
                "GET|gzip|bytes=1-2,4-5|-|200|-|\"t\"|10|-", // an ignored range still gets the identity body
                "GET|identity;q=0, gzip|bytes=2-4|-|200|gzip|\"t-gzip\"|3|-", // identity refused: the whole coded page
                "HEAD|-|bytes=2-4|-|200|-|\"t\"|10|-", // only GET has range semantics
                "GET|-|bytes=10-|-|416|-|-|-|bytes */10",
                "GET|-|bytes=1-2,4-5|-|200|-|\"t\"|10|-",
            })
    void answersWithTheRightRepresentation(
            String method,
            String acceptEncoding,
            String range,
            String ifNoneMatch,
            int status,
            String coding,
            String etag,
            String length,
            String contentRange) {
        ClientRequest req = request(method, ifNoneMatch, acceptEncoding, range, null);
        FullHttpResponse r = ResponseFactory.fromEntry(ENTRY, req, 0, Outcome.HIT_MEMORY);
        try {
            assertThat(r.status().code()).isEqualTo(status);
            assertThat(r.headers().get("Content-Encoding")).isEqualTo(coding);
            if (etag != null) assertThat(r.headers().get("ETag")).isEqualTo(etag);
            if (length != null) assertThat(r.headers().get("Content-Length")).isEqualTo(length);
            assertThat(r.headers().get("Content-Range")).isEqualTo(contentRange);
            if (status != 416) assertThat(r.headers().get("Vary")).isEqualTo("Accept-Encoding");
            if (method.equals("HEAD") || status == 304)
                assertThat(r.content().readableBytes()).isZero();
            else if (status != 416) assertThat(r.content().readableBytes()).isEqualTo(Integer.parseInt(length));
        } finally {
            r.release();
        }
    }

    /** Stored from an origin that sent {@code ETag: W/"w"} (Express, nginx with gzip): its tag, and its header. */
    private static final StoredEntry WEAK = new StoredEntry(
                    200,
                    List.of(new Header("Content-Type", "text/plain"), new Header("ETag", "W/\"w\"")),
                    BODY,
                    0,
                    StoredEntry.NEVER,
                    StoredEntry.NEVER,
                    "W/\"w\"",
                    List.of(),
                    "v1",
                    0)
            .withEncodings(List.of(new Encoded("gzip", new byte[] {3, 4, 5})));

    @ParameterizedTest(name = "weak: AE=[{0}] Range=[{1}] If-Range=[{2}] INM=[{3}] -> {4} {5}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                // Accept-Encoding|Range|If-Range|If-None-Match|status|ETag|Content-Length
                "-|-|-|-|200|W/\"w\"|10", // the origin's weak tag, verbatim (RFC 9110 §8.8.3)
                "gzip|-|-|-|200|W/\"w-gzip\"|3", // a coded copy's own tag stays weak
                "-|-|-|W/\"w\"|304|W/\"w\"|10", // weak comparison (§13.1.2)
                "-|-|-|\"w\"|304|W/\"w\"|10", // the strong twin matches too
                "-|-|-|\"x\", W/\"w\"|304|W/\"w\"|10",
                "gzip|-|-|W/\"w-gzip\"|304|W/\"w-gzip\"|3",
                "gzip|-|-|W/\"w\"|200|W/\"w-gzip\"|3", // another representation's tag does not
                "-|-|-|W/\"v\"|200|W/\"w\"|10",
                "-|bytes=2-4|-|-|206|W/\"w\"|3",
                "-|bytes=2-4|W/\"w\"|-|200|W/\"w\"|10", // If-Range never matches a weak tag (§13.1.5): all
                "-|bytes=2-4|\"w\"|-|200|W/\"w\"|10", // nor its strong twin (strong comparison, §8.8.3.2)
            })
    void anOriginsWeakTagIsServedAndComparedAsTheRfcSays(
            String acceptEncoding,
            String range,
            String ifRange,
            String ifNoneMatch,
            int status,
            String etag,
            String length) {
        ClientRequest req = request("GET", ifNoneMatch, acceptEncoding, range, ifRange);
        FullHttpResponse r = ResponseFactory.fromEntry(WEAK, req, 0, Outcome.HIT_MEMORY);
        try {
            assertThat(r.status().code()).isEqualTo(status);
            assertThat(r.headers().getAll("ETag")).as("one ETag").containsExactly(etag);
            assertThat(r.headers().get("Content-Length")).isEqualTo(length);
        } finally {
            r.release();
        }
    }

    /** A reader's request for {@code /f} with the given validators, Accept-Encoding and range (also for HotEntryResponsesTest). */
    static ClientRequest request(
            String method,
            @Nullable String ifNoneMatch,
            @Nullable String acceptEncoding,
            @Nullable String range,
            @Nullable String ifRange) {
        return new ClientRequest(
                method,
                CacheKey.fromRequestTarget("/f"),
                new RouteTable(List.of()).match("/f"),
                ifNoneMatch,
                null,
                0,
                false,
                ReaderFreshness.ANY,
                false,
                acceptEncoding,
                range,
                ifRange,
                null,
                null);
    }
}
