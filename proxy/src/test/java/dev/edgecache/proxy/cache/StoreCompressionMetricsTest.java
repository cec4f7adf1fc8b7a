package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The compression meters: what moves for a compressible page, an incompressible one and an encoded one. */
class StoreCompressionMetricsTest {
    private static final byte[] PAGE = "<p>hello, edge</p>\n".repeat(200).getBytes(StandardCharsets.UTF_8);
    private static final List<String> CODINGS = List.of("br", "gzip");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final EdgeMetrics metrics = new EdgeMetrics(registry);

    private static StoredEntry entry(byte[] body, Header... headers) {
        return new StoredEntry(
                200, List.of(headers), body, 0, StoredEntry.NEVER, StoredEntry.NEVER, "\"e\"", List.of(), "v1", 0);
    }

    private double counter(String name, String coding) {
        return registry.get(name).tag("coding", coding).counter().count();
    }

    private long timed(String coding) {
        return registry.get(EdgeMetrics.COMPRESSION_DURATION)
                .tag("coding", coding)
                .timer()
                .count();
    }

    @Test
    void aCompressiblePageIsTimedAndCountedPerCoding() {
        StoredEntry e = StoreCompression.addEncodings(
                entry(PAGE, new Header("Content-Type", "text/html")), metrics.compression());

        for (String coding : CODINGS) {
            int copy = e.encoding(coding).body().length;
            assertThat(timed(coding)).as(coding).isEqualTo(1);
            assertThat(registry.get(EdgeMetrics.COMPRESSION_DURATION)
                            .tag("coding", coding)
                            .timer()
                            .totalTime(TimeUnit.NANOSECONDS))
                    .as(coding)
                    .isPositive();
            assertThat(counter(EdgeMetrics.COMPRESSION_IN, coding)).as(coding).isEqualTo(PAGE.length);
            assertThat(counter(EdgeMetrics.COMPRESSION_KEPT, coding)).as(coding).isEqualTo(copy);
            assertThat(counter(EdgeMetrics.COMPRESSION_SAVED, coding))
                    .as(coding)
                    .isEqualTo(PAGE.length - copy);
            assertThat(counter(EdgeMetrics.COMPRESSION_DROPPED, coding))
                    .as(coding)
                    .isZero();
        }
    }

    @Test
    void anIncompressiblePageIsTimedAndCountedAsNotKept() {
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);

        StoredEntry e = StoreCompression.addEncodings(
                entry(noise, new Header("Content-Type", "text/plain")), metrics.compression());

        assertThat(e.encodings()).isEmpty();
        for (String coding : CODINGS) {
            assertThat(timed(coding)).as(coding).isEqualTo(1);
            assertThat(counter(EdgeMetrics.COMPRESSION_IN, coding)).as(coding).isEqualTo(noise.length);
            assertThat(counter(EdgeMetrics.COMPRESSION_KEPT, coding)).as(coding).isZero();
            assertThat(counter(EdgeMetrics.COMPRESSION_SAVED, coding))
                    .as(coding)
                    .isZero();
            assertThat(counter(EdgeMetrics.COMPRESSION_DROPPED, coding))
                    .as(coding)
                    .isEqualTo(1);
        }
    }

    @Test
    void anEncodedPageMovesNoMeter() {
        StoredEntry e = StoreCompression.addEncodings(
                entry(PAGE, new Header("Content-Type", "text/html"), new Header("Content-Encoding", "gzip")),
                metrics.compression());

        assertThat(e.encodings()).isEmpty();
        for (String coding : CODINGS) {
            assertThat(timed(coding)).as(coding).isZero();
            assertThat(counter(EdgeMetrics.COMPRESSION_IN, coding)).as(coding).isZero();
            assertThat(counter(EdgeMetrics.COMPRESSION_DROPPED, coding))
                    .as(coding)
                    .isZero();
        }
    }

    @Test
    void prometheusNamesAreTheDocumentedOnes() {
        StoreCompression.addEncodings(entry(PAGE, new Header("Content-Type", "text/html")), metrics.compression());

        assertThat(registry.scrape())
                .contains(
                        "edge_store_compression_duration_seconds_count{coding=\"br\"} 1",
                        "edge_store_compression_duration_seconds_bucket{coding=\"gzip\",",
                        "edge_store_compression_in_bytes_total{coding=\"gzip\"} " + PAGE.length,
                        "edge_store_compression_kept_bytes_total{coding=\"br\"}",
                        "edge_store_compression_saved_bytes_total{coding=\"gzip\"}",
                        "edge_store_compression_dropped_total{coding=\"br\"} 0");
    }
}
