package dev.edgecache.bench;

import dev.edgecache.common.store.EntryCodec;
import dev.edgecache.common.store.StoredEntry;
import java.util.concurrent.TimeUnit;
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
 * {@link EntryCodec}: the disk form of a page, written on every stored miss and read on every disk hit.
 * Both directions copy the body and checksum it (CRC32C), so cost should grow linearly with the size.
 *
 * <pre>
 * $JAVA_HOME/bin/java --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
 *     -jar bench/target/benchmarks.jar EntryCodecBenchmark -f1 -foe true -wi 2 -w 1s -i 5 -r 1s -prof gc \
 *     -jvmArgsAppend "--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"})
public class EntryCodecBenchmark {
    @Param({"1024", "16384", "131072"})
    int size;

    private StoredEntry entry;
    private byte[] encoded;

    @Setup
    public void setUp() {
        entry = Pages.entry(size, size);
        encoded = EntryCodec.encode(entry);
        if (!EntryCodec.decode(encoded).equals(entry)) throw new IllegalStateException("codec does not round-trip");
    }

    @Benchmark
    public byte[] encode() {
        return EntryCodec.encode(entry);
    }

    @Benchmark
    public StoredEntry decode() {
        return EntryCodec.decode(encoded);
    }
}
