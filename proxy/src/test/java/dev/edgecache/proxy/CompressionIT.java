package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.aayushatharva.brotli4j.decoder.Decoder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.metrics.Outcome;
import dev.edgecache.proxy.testing.EdgeServerExtension;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 5: gzip and brotli negotiated per request from copies compressed once, at store time. */
class CompressionIT {
    private static final String PAGE = "<p>A post worth compressing.</p>\n".repeat(100);
    private static final String ROUTE = "/{user}/{slug}";

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @RegisterExtension
    final EdgeServerExtension edge = new EdgeServerExtension(origin::getPort);

    @BeforeEach
    void start() throws InterruptedException {
        origin.stubFor(get("/alice/hello")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/html; charset=utf-8")
                        .withBody(PAGE)));
    }

    @Test
    void gzipReaderGetsGzipWithVaryAndItsOwnEtag() throws IOException {
        HttpResponse<byte[]> identity = bytes("GET", "/alice/hello");
        HttpResponse<byte[]> gzip = bytes("GET", "/alice/hello", "Accept-Encoding", "gzip");

        assertThat(gzip.statusCode()).isEqualTo(200);
        assertThat(gzip.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(gzip.headers().allValues("Vary")).containsExactly("Accept-Encoding");
        assertThat(gzip.headers().firstValue("Cache-Status")).contains("edge; hit");
        assertThat(gunzip(gzip.body())).isEqualTo(PAGE);
        assertThat(gzip.headers().firstValueAsLong("Content-Length")).hasValue(gzip.body().length);
        assertThat(gzip.body().length).isLessThan(PAGE.length() / 4);

        String identityTag = identity.headers().firstValue("ETag").orElseThrow();
        assertThat(gzip.headers().firstValue("ETag"))
                .as("RFC 9110 §8.8.3: another representation, another tag")
                .contains(identityTag.substring(0, identityTag.length() - 1) + "-gzip\"");
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/hello")).withHeader("Accept-Encoding", absent()));
    }

    @Test
    void theStoredMissIsCompressedOncePerCodingAndMetered() {
        bytes("GET", "/alice/hello");
        bytes("GET", "/alice/hello", "Accept-Encoding", "gzip");

        for (String coding : java.util.List.of("br", "gzip")) {
            var registry = edge.metrics().registry();
            assertThat(registry.get(EdgeMetrics.COMPRESSION_DURATION)
                            .tag("coding", coding)
                            .timer()
                            .count())
                    .as(coding)
                    .isEqualTo(1);
            assertThat(registry.get(EdgeMetrics.COMPRESSION_IN)
                            .tag("coding", coding)
                            .counter()
                            .count())
                    .as(coding)
                    .isEqualTo(PAGE.length());
        }
    }

    @Test
    void identityReaderGetsTheOriginalBodyWithVary() {
        HttpResponse<byte[]> first = bytes("GET", "/alice/hello");
        HttpResponse<byte[]> refused = bytes("GET", "/alice/hello", "Accept-Encoding", "gzip;q=0, br;q=0");

        for (HttpResponse<byte[]> r : java.util.List.of(first, refused)) {
            assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(PAGE);
            assertThat(r.headers().allValues("Vary")).containsExactly("Accept-Encoding");
        }
        assertThat(first.headers().firstValue("Cache-Status")).contains("edge; fwd=miss; stored");
    }

    @Test
    void brotliIsPreferredWhenBothAreAccepted() throws IOException {
        bytes("GET", "/alice/hello");
        HttpResponse<byte[]> br = bytes("GET", "/alice/hello", "Accept-Encoding", "gzip, deflate, br");

        assertThat(br.headers().firstValue("Content-Encoding")).contains("br");
        assertThat(new String(Decoder.decompress(br.body()).getDecompressedData(), StandardCharsets.UTF_8))
                .isEqualTo(PAGE);
    }

    @Test
    void conditionalRequestsCompareTheSelectedRepresentationsTag() {
        String gzipTag = bytes("GET", "/alice/hello", "Accept-Encoding", "gzip")
                .headers()
                .firstValue("ETag")
                .orElseThrow();

        HttpResponse<byte[]> notModified =
                bytes("GET", "/alice/hello", "Accept-Encoding", "gzip", "If-None-Match", gzipTag);
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.headers().firstValue("ETag")).contains(gzipTag);
        assertThat(notModified.headers().allValues("Vary")).containsExactly("Accept-Encoding");

        HttpResponse<byte[]> otherRepresentation = bytes("GET", "/alice/hello", "If-None-Match", gzipTag);
        assertThat(otherRepresentation.statusCode()).isEqualTo(200);
    }

    @Test
    void headGetsTheHeadersOfTheSelectedRepresentation() {
        HttpResponse<byte[]> get = bytes("GET", "/alice/hello", "Accept-Encoding", "gzip");
        HttpResponse<byte[]> head = bytes("HEAD", "/alice/hello", "Accept-Encoding", "gzip");

        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(get.body().length);
        assertThat(head.headers().firstValue("ETag")).isEqualTo(get.headers().firstValue("ETag"));
        assertThat(head.headers().allValues("Vary")).containsExactly("Accept-Encoding");
    }

    @Test
    void aResponseTheOriginEncodedIsStoredAndServedAsIs() throws IOException {
        byte[] gzipped = gzip(PAGE);
        origin.stubFor(get("/alice/zipped")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/html")
                        .withHeader("Content-Encoding", "gzip")
                        .withBody(gzipped)));

        HttpResponse<byte[]> first = bytes("GET", "/alice/zipped", "Accept-Encoding", "gzip");
        edge.clock().advance(Duration.ofSeconds(1));
        HttpResponse<byte[]> hit = bytes("GET", "/alice/zipped", "Accept-Encoding", "gzip, br");

        for (HttpResponse<byte[]> r : java.util.List.of(first, hit)) {
            assertThat(r.headers().allValues("Content-Encoding")).containsExactly("gzip");
            assertThat(r.body()).as("not compressed a second time").isEqualTo(gzipped);
            assertThat(gunzip(r.body())).isEqualTo(PAGE);
        }
        assertThat(hit.headers().firstValue("Cache-Status")).contains("edge; hit");
        assertThat(edge.metrics().requestCount(ROUTE, Outcome.HIT_MEMORY)).isEqualTo(1);
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/zipped")));
    }

    @Test
    void smallOrBinaryPagesHaveNoCopiesAndNoVary() {
        origin.stubFor(get("/alice/tiny")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/html")
                        .withBody("<p>hi</p>")));

        HttpResponse<byte[]> tiny = bytes("GET", "/alice/tiny", "Accept-Encoding", "gzip");
        assertThat(tiny.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(tiny.headers().firstValue("Vary")).isEmpty();
        assertThat(new String(tiny.body(), StandardCharsets.UTF_8)).isEqualTo("<p>hi</p>");
    }

    private HttpResponse<byte[]> bytes(String method, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(Http.uri(edge.port(), path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(20));
        if (headers.length > 0) b.headers(headers);
        try {
            return Http.CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
