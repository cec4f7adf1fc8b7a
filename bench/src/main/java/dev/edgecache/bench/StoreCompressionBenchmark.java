package dev.edgecache.bench;

import com.aayushatharva.brotli4j.encoder.Encoder;
import dev.edgecache.common.store.Encoded;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.cache.StoreCompression;
import dev.edgecache.proxy.metrics.CompressionMeter;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link StoreCompression}: the brotli (quality 9) and gzip (level 9) copies made once per stored page, on the
 * store executor, before the page is stored. {@code addEncodings} is the whole cost of one store (both codings,
 * through a no-op meter); {@code brotli} and {@code gzip} are each coding alone; {@code brotliDefaultWindow} is the
 * baseline for {@code brotli}: the same quality with brotli's default 4 MiB window instead of one sized to the
 * body. Time per page, in µs. The set-up prints each coding's copy size and ratio once ({@code compression
 * size=... coding=...}).
 *
 * <pre>
 * $JAVA_HOME/bin/java --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
 *     -jar bench/target/benchmarks.jar StoreCompressionBenchmark -f1 -foe true -wi 3 -w 1s -i 5 -r 1s \
 *     -jvmArgsAppend "--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"})
public class StoreCompressionBenchmark {
    /** Body bytes of the blog post: 4 KiB, 16 KiB, 64 KiB, 128 KiB. */
    @Param({"4096", "16384", "65536", "131072"})
    int size;

    private StoredEntry entry;
    private byte[] body;

    @Setup
    public void setUp() {
        body = Pages.blogPost(size, size);
        entry = new StoredEntry(
                200,
                Pages.ORIGIN_HEADERS,
                body,
                1_800_000_000_000L,
                StoredEntry.NEVER,
                StoredEntry.NEVER,
                "\"69289c00-" + Integer.toHexString(size) + "\"",
                List.<String>of(),
                Pages.DEPLOY,
                0);
        if (body.length != size) throw new IllegalStateException("page is " + body.length + " bytes, not " + size);
        if (!StoreCompression.brotliAvailable()) throw new IllegalStateException("brotli4j's native did not load");
        StoredEntry stored = StoreCompression.addEncodings(entry, CompressionMeter.NONE);
        if (!stored.codings().equals(List.of("br", "gzip")))
            throw new IllegalStateException("expected br and gzip copies, got " + stored.codings());
        for (Encoded copy : stored.encodings()) {
            System.out.printf(
                    Locale.ROOT,
                    "%ncompression size=%d coding=%s copy=%d ratio=%.3f saved=%d%n",
                    size,
                    copy.coding(),
                    copy.body().length,
                    copy.body().length / (double) size,
                    size - copy.body().length);
        }
    }

    @Benchmark
    public StoredEntry addEncodings() {
        return StoreCompression.addEncodings(entry, CompressionMeter.NONE);
    }

    @Benchmark
    public byte @Nullable [] brotli() {
        return StoreCompression.brotli(body);
    }

    @Benchmark
    public byte[] brotliDefaultWindow() throws IOException {
        return Encoder.compress(body, new Encoder.Parameters().setQuality(StoreCompression.BROTLI_QUALITY));
    }

    @Benchmark
    public byte[] gzip() {
        return StoreCompression.gzip(body);
    }
}
