package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.aayushatharva.brotli4j.decoder.Decoder;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Store-time compression (issue 5): what is compressed, and that the copies decode to the body. */
class StoreCompressionTest {
    private static final byte[] PAGE = "<p>hello, edge</p>\n".repeat(200).getBytes(StandardCharsets.UTF_8);

    private static StoredEntry entry(int status, byte[] body, String... headers) {
        List<Header> h = new ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) h.add(new Header(headers[i], headers[i + 1]));
        return new StoredEntry(status, h, body, 0, StoredEntry.NEVER, StoredEntry.NEVER, "\"e\"", List.of(), "v1", 0);
    }

    @ParameterizedTest(name = "{0} {1} [{2}: {3}] compressed: {4}")
    @CsvSource(
            delimiter = '|',
            value = {
                "200|text/html; charset=utf-8|X-None|x|true",
                "404|text/html|X-None|x|true",
                "200|application/json|X-None|x|true",
                "200|application/ld+json|X-None|x|true",
                "200|image/svg+xml|X-None|x|true",
                "200|TEXT/CSS|X-None|x|true",
                "301|text/html|X-None|x|false", // redirects: their bodies are not worth it
                "200|image/png|X-None|x|false", // already compressed formats
                "200|application/octet-stream|X-None|x|false",
                "200|text/html|Content-Encoding|gzip|false", // never double-compress (RFC 9110 §8.4)
                "200|text/html|Content-Encoding|identity|true",
                "200|text/html|Cache-Control|public, no-transform|false", // RFC 9110 §7.7
            })
    void compressesTextualPagesTheOriginDidNotEncode(
            int status, String type, String name, String value, boolean compressed) {
        StoredEntry e = StoreCompression.addEncodings(entry(status, PAGE, "Content-Type", type, name, value));
        assertThat(!e.encodings().isEmpty()).isEqualTo(compressed);
    }

    @Test
    void smallBodiesAndIncompressibleOnesAreLeftAlone() {
        byte[] small = new byte[StoreCompression.MIN_BYTES - 1];
        assertThat(StoreCompression.addEncodings(entry(200, small, "Content-Type", "text/plain"))
                        .encodings())
                .isEmpty();
        byte[] noise = new byte[4096];
        new java.util.Random(1).nextBytes(noise);
        assertThat(StoreCompression.addEncodings(entry(200, noise, "Content-Type", "text/plain"))
                        .encodings())
                .as("a copy that saves less than a tenth is not kept")
                .isEmpty();
        assertThat(StoreCompression.addEncodings(entry(200, PAGE)).encodings())
                .as("no Content-Type")
                .isEmpty();
    }

    @Test
    void copiesDecodeToTheBodyAndBrotliIsPreferred() throws IOException {
        StoredEntry e = StoreCompression.addEncodings(entry(200, PAGE, "Content-Type", "text/html"));
        assertThat(StoreCompression.brotliAvailable())
                .as("brotli4j's linux-x86_64 native loads")
                .isTrue();
        assertThat(e.codings()).containsExactly("br", "gzip");
        try (GZIPInputStream in =
                new GZIPInputStream(new ByteArrayInputStream(e.encoding("gzip").body()))) {
            assertThat(in.readAllBytes()).isEqualTo(PAGE);
        }
        assertThat(Decoder.decompress(e.encoding("br").body()).getDecompressedData())
                .isEqualTo(PAGE);
        assertThat(e.weight())
                .as("the copies count against the memory budget")
                .isGreaterThan(PAGE.length
                        + e.encoding("gzip").body().length
                        + e.encoding("br").body().length);
    }

    @ParameterizedTest(name = "{0} bytes -> window 2^{1}")
    @CsvSource({"0, 10", "1008, 10", "1009, 11", "4096, 13", "16384, 15", "65520, 16", "65521, 16", "2000000000, 16"})
    void brotliWindowIsTheSmallestThatHoldsTheBodyUpTo64KiB(int length, int bits) {
        assertThat(StoreCompression.brotliWindowBits(length)).isEqualTo(bits);
    }

    @ParameterizedTest(name = "{0} bytes")
    @CsvSource({"600", "5000", "70000", "300000"})
    void brotliCopiesWithASizedWindowDecodeToTheBody(int length) throws IOException {
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) body[i] = PAGE[(i * 7 + i / 4096) % PAGE.length];
        byte[] copy = StoreCompression.brotli(body);
        assertThat(copy).isNotNull();
        assertThat(Decoder.decompress(copy).getDecompressedData()).isEqualTo(body);
    }
}
