package dev.edgecache.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The meters of store-time compression, tagged {@code coding} = {@code br} or {@code gzip} (bounded: made here,
 * once, for those two codings). Thread-safe: Micrometer meters are.
 */
final class CompressionMetrics implements CompressionMeter {
    private final Coding br;
    private final Coding gzip;

    /** The meters of one coding. */
    private record Coding(Timer duration, Counter in, Counter kept, Counter saved, Counter dropped) {
        static Coding register(MeterRegistry registry, String coding) {
            return new Coding(
                    Timer.builder(EdgeMetrics.COMPRESSION_DURATION)
                            .description("Time to compress one stored page into one coding, kept or not")
                            .tag("coding", coding)
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofNanos(10_000))
                            .maximumExpectedValue(Duration.ofSeconds(1))
                            .register(registry),
                    bytes(registry, EdgeMetrics.COMPRESSION_IN, coding, "Body bytes compressed, kept or not"),
                    bytes(registry, EdgeMetrics.COMPRESSION_KEPT, coding, "Bytes of the copies kept"),
                    bytes(
                            registry,
                            EdgeMetrics.COMPRESSION_SAVED,
                            coding,
                            "Body bytes minus copy bytes, over the copies kept: saved per response served in it"),
                    Counter.builder(EdgeMetrics.COMPRESSION_DROPPED)
                            .description("Copies not kept: they saved under a tenth of the body, or failed")
                            .tag("coding", coding)
                            .register(registry));
        }

        private static Counter bytes(MeterRegistry registry, String name, String coding, String description) {
            return Counter.builder(name)
                    .description(description)
                    .tag("coding", coding)
                    .baseUnit("bytes")
                    .register(registry);
        }
    }

    CompressionMetrics(MeterRegistry registry) {
        br = Coding.register(registry, "br");
        gzip = Coding.register(registry, "gzip");
    }

    @Override
    public void kept(String coding, long nanos, int bodyBytes, int copyBytes) {
        Coding c = of(coding);
        c.duration().record(nanos, TimeUnit.NANOSECONDS);
        c.in().increment(bodyBytes);
        c.kept().increment(copyBytes);
        c.saved().increment(bodyBytes - copyBytes);
    }

    @Override
    public void dropped(String coding, long nanos, int bodyBytes) {
        Coding c = of(coding);
        c.duration().record(nanos, TimeUnit.NANOSECONDS);
        c.in().increment(bodyBytes);
        c.dropped().increment();
    }

    private Coding of(String coding) {
        return switch (coding) {
            case "br" -> br;
            case "gzip" -> gzip;
            default -> throw new IllegalArgumentException("no meters for coding " + coding);
        };
    }
}
