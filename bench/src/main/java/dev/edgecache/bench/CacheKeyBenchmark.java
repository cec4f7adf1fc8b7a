package dev.edgecache.bench;

import dev.edgecache.common.key.CacheKey;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link CacheKey#fromRequestTarget}: run on every request before routing, so its cost is paid by hits too.
 *
 * <pre>
 * $JAVA_HOME/bin/java --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
 *     -jar bench/target/benchmarks.jar CacheKeyBenchmark -f1 -foe true -wi 2 -w 1s -i 5 -r 1s -prof gc \
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
public class CacheKeyBenchmark {
    /** Request targets as readers send them, from the common case to the worst the normaliser handles. */
    public enum Target {
        /** A post: two plain segments, no query. */
        TYPICAL("/alice/my-first-post"),
        /** An asset with a cache-busting query. */
        QUERY("/assets/app.css?v=3f9a2c1"),
        /** Dot-segments, escapes to decode and to upper-case, raw non-ASCII, a long tracking query. */
        MESSY("/alice/./drafts/../%7ealice/caf\u00e9/%e2%82%ac-posts/%2D2024/../feed.xml"
                + "?utm_source=news%20letter&utm_medium=email&ref=%41%42&q=edge+cache"),
        /** Absolute form with a fragment (a proxy-style client). */
        ABSOLUTE("http://blog.example.com/alice/posts?page=3#comments");

        final String text;

        Target(String text) {
            this.text = text;
        }
    }

    @Param
    Target target;

    @Benchmark
    public CacheKey fromRequestTarget() {
        return CacheKey.fromRequestTarget(target.text);
    }
}
