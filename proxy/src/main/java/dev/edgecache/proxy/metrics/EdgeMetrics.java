package dev.edgecache.proxy.metrics;

import dev.edgecache.proxy.store.MemoryStore;
import dev.edgecache.proxy.store.RocksDbStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import java.time.Duration;
import java.util.List;

/**
 * Every meter the edge publishes, named and tagged in one place (STYLE 3.10). Meters are created here at
 * construction, never on the request path; tags are bounded: route name, outcome, tier, result.
 *
 * <p>Thread-safe: Micrometer meters are.
 */
public final class EdgeMetrics {
    public static final String REQUESTS = "edge.requests";
    public static final String REQUEST_DURATION = "edge.request.duration";
    public static final String ORIGIN_REQUESTS = "edge.origin.requests";
    public static final String ORIGIN_DURATION = "edge.origin.duration";
    public static final String COALESCED_WAITERS = "edge.coalesced.waiters";
    public static final String STORE_ENTRIES = "edge.store.entries";
    public static final String STORE_BYTES = "edge.store.bytes";
    public static final String STORE_ERRORS = "edge.store.errors";
    public static final String STORE_CORRUPT = "edge.store.corrupt";

    private final MeterRegistry registry;
    private final List<String> routeNames;
    private final Counter[][] requests; // [route][outcome]
    private final Timer[] durations; // [route]
    private final Counter originOk;
    private final Counter originError;
    private final Counter originTimeout;
    private final Timer originDuration;
    private final Counter coalescedWaiters;
    private final Counter storeErrors;
    private final Counter storeCorrupt;

    /** @param routeNames the configured route names plus the implicit default route, in route-table order */
    public EdgeMetrics(MeterRegistry registry, List<String> routeNames) {
        this.registry = registry;
        this.routeNames = List.copyOf(routeNames);
        Outcome[] outcomes = Outcome.values();
        requests = new Counter[routeNames.size()][outcomes.length];
        durations = new Timer[routeNames.size()];
        for (int r = 0; r < routeNames.size(); r++) {
            for (Outcome o : outcomes) {
                requests[r][o.ordinal()] = Counter.builder(REQUESTS)
                        .description("Client requests by route and outcome")
                        .tag("route", routeNames.get(r))
                        .tag("outcome", o.tag())
                        .register(registry);
            }
            durations[r] = Timer.builder(REQUEST_DURATION)
                    .description("Time from a complete client request to its response being written")
                    .tag("route", routeNames.get(r))
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry);
        }
        originOk = originCounter("ok");
        originError = originCounter("error");
        originTimeout = originCounter("timeout");
        originDuration = Timer.builder(ORIGIN_DURATION)
                .description("Origin response time")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        coalescedWaiters = Counter.builder(COALESCED_WAITERS)
                .description("Requests that waited for another request's origin fetch instead of making their own")
                .register(registry);
        storeErrors = Counter.builder(STORE_ERRORS).description("Failed store operations").register(registry);
        storeCorrupt = Counter.builder(STORE_CORRUPT)
                .description("Stored values that failed their version or checksum check and were dropped")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        @SuppressWarnings("resource") // lives as long as the registry
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
    }

    /** Gauges of what each tier holds, and Caffeine's own statistics for the memory tier. */
    public void monitorStores(MemoryStore memory, RocksDbStore disk) {
        Gauge.builder(STORE_ENTRIES, memory, m -> m.cache().estimatedSize()).tag("tier", "memory").register(registry);
        Gauge.builder(STORE_BYTES, memory, MemoryStore::weightedSize).tag("tier", "memory").baseUnit("bytes").register(registry);
        Gauge.builder(STORE_ENTRIES, disk, RocksDbStore::estimatedPages).tag("tier", "disk").register(registry);
        Gauge.builder(STORE_BYTES, disk, RocksDbStore::estimatedBytes).tag("tier", "disk").baseUnit("bytes").register(registry);
        CaffeineCacheMetrics.monitor(registry, memory.cache(), "edge.memory");
    }

    private Counter originCounter(String result) {
        return Counter.builder(ORIGIN_REQUESTS)
                .description("Requests sent to the origin by result")
                .tag("result", result)
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public List<String> routeNames() {
        return routeNames;
    }

    public void exchange(int routeIndex, Outcome outcome, long nanos) {
        requests[routeIndex][outcome.ordinal()].increment();
        durations[routeIndex].record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public double requestCount(int routeIndex, Outcome outcome) {
        return requests[routeIndex][outcome.ordinal()].count();
    }

    public void originResponse(long nanos) {
        originOk.increment();
        originDuration.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public void originFailure(boolean timeout) {
        (timeout ? originTimeout : originError).increment();
    }

    public void coalescedWaiter() {
        coalescedWaiters.increment();
    }

    public void storeError() {
        storeErrors.increment();
    }

    public void storeCorrupt() {
        storeCorrupt.increment();
    }
}
