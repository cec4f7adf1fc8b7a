package dev.edgecache.proxy.metrics;

import dev.edgecache.proxy.internal.Buffers;
import dev.edgecache.proxy.origin.CircuitBreaker;
import dev.edgecache.proxy.store.MemoryStore;
import dev.edgecache.proxy.store.RocksDbStore;
import dev.edgecache.proxy.store.StoreHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Every meter the edge publishes, named and tagged in one place (STYLE 3.10). Meters are created here at
 * construction, never on the request path; tags are bounded: route name, outcome, tier, result, coding.
 *
 * <p>Thread-safe: Micrometer meters are.
 */
// per-route request counters are an array indexed by Outcome.ordinal(), filled from Outcome.values() in this JVM
@SuppressWarnings("EnumOrdinal")
public final class EdgeMetrics {
    public static final String REQUESTS = "edge.requests";
    public static final String REQUEST_DURATION = "edge.request.duration";
    public static final String ORIGIN_REQUESTS = "edge.origin.requests";
    public static final String ORIGIN_DURATION = "edge.origin.duration";
    public static final String COALESCED_WAITERS = "edge.coalesced.waiters";
    public static final String STORE_ENTRIES = "edge.store.entries";
    public static final String STORE_BYTES = "edge.store.bytes";
    public static final String DISK_CACHE_USAGE = "edge.store.disk.cache.usage";
    public static final String DISK_CACHE_CAPACITY = "edge.store.disk.cache.capacity";
    public static final String DISK_CACHE_PINNED = "edge.store.disk.cache.pinned";
    public static final String DISK_MEMTABLES = "edge.store.disk.memtables";
    public static final String DISK_TABLE_READERS = "edge.store.disk.table.readers";
    public static final String PURGE_REQUESTS = "edge.purge.requests";
    public static final String PURGED_KEYS = "edge.purged.keys";
    public static final String DEPLOYS = "edge.deploys";
    public static final String DEPLOY_ACTIVE = "edge.deploy.active.info";
    public static final String STORE_ERRORS = "edge.store.errors";
    public static final String STORE_CORRUPT = "edge.store.corrupt";
    public static final String COMPRESSION_DURATION = "edge.store.compression.duration";
    public static final String COMPRESSION_IN = "edge.store.compression.in";
    public static final String COMPRESSION_KEPT = "edge.store.compression.kept";
    public static final String COMPRESSION_SAVED = "edge.store.compression.saved";
    public static final String COMPRESSION_DROPPED = "edge.store.compression.dropped";
    public static final String ORIGIN_CONNECTIONS_DROPPED = "edge.origin.connections.dropped";
    public static final String ORIGIN_HELD_BACK = "edge.origin.held.back";
    public static final String ORIGIN_CIRCUIT_STATE = "edge.origin.circuit.state";

    private final MeterRegistry registry;
    private final Map<String, RouteMeters> routes = new ConcurrentHashMap<>();
    private final Counter originOk;
    private final Counter originError;
    private final Counter originTimeout;
    private final Timer originDuration;
    private final Counter coalescedWaiters;
    private final Counter storeErrors;
    private final Counter storeCorrupt;
    private final Counter purgedKeys;
    private final MultiGauge activeDeploy;
    private final CompressionMetrics compression;
    private final Map<String, Counter> originConnectionsDropped = new ConcurrentHashMap<>();
    private final Map<String, Counter> originHeldBack = new ConcurrentHashMap<>();

    /** The meters of one route: a counter per outcome and a duration timer, made once per route name. */
    private record RouteMeters(Counter[] byOutcome, Timer duration) {}

    public EdgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        originOk = originCounter("ok");
        originError = originCounter("error");
        originTimeout = originCounter("timeout");
        for (String reason : List.of("circuit-open", "backoff")) {
            originHeldBack.put(
                    reason,
                    Counter.builder(ORIGIN_HELD_BACK)
                            .description("Requests answered 503 without asking a failing origin")
                            .tag("reason", reason)
                            .register(registry));
        }
        for (String reason : List.of("unsolicited-bytes", "early-response", "unread-body")) {
            originConnectionsDropped.put(
                    reason,
                    Counter.builder(ORIGIN_CONNECTIONS_DROPPED)
                            .description("Origin connections closed because their framing was in doubt")
                            .tag("reason", reason)
                            .register(registry));
        }
        originDuration = Timer.builder(ORIGIN_DURATION)
                .description("Origin response time")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        coalescedWaiters = Counter.builder(COALESCED_WAITERS)
                .description("Requests that waited for another request's origin fetch instead of making their own")
                .register(registry);
        storeErrors = Counter.builder(STORE_ERRORS)
                .description("Failed store operations")
                .register(registry);
        storeCorrupt = Counter.builder(STORE_CORRUPT)
                .description("Stored values that failed their version or checksum check and were dropped")
                .register(registry);
        purgedKeys = Counter.builder(PURGED_KEYS)
                .description("Entries removed or marked stale by purges")
                .register(registry);
        activeDeploy = MultiGauge.builder(DEPLOY_ACTIVE)
                .description("1 for the active deploy")
                .register(registry);
        compression = new CompressionMetrics(registry);
        if (Buffers.ALLOCATOR instanceof ByteBufAllocatorMetricProvider used) { // the one every channel uses
            new NettyAllocatorMetrics(used).bindTo(registry);
        }
        new JvmMemoryMetrics().bindTo(registry);
        // with bin/edge's flags Netty allocates direct memory without a cleaner, which the JVM's buffer-pool metrics
        // do not see: its own counter, bounded by -XX:MaxDirectMemorySize (-1 when Netty does not count)
        Gauge.builder("edge.memory.direct.used", PlatformDependent::usedDirectMemory)
                .description("Direct memory Netty allocated without a cleaner (memory-tier bodies, buffer pools)")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("edge.memory.direct.max", PlatformDependent::maxDirectMemory)
                .description("The limit of that direct memory (-XX:MaxDirectMemorySize)")
                .baseUnit("bytes")
                .register(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        @SuppressWarnings("resource") // lives as long as the registry
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
    }

    /** A purge of {@code kind} (urls, prefixes, tags, all) that touched {@code keys} entries. */
    public void purge(String kind, int keys) {
        Counter.builder(PURGE_REQUESTS)
                .description("Purge requests by kind")
                .tag("kind", kind)
                .register(registry)
                .increment();
        purgedKeys.increment(keys);
    }

    /** How many deploys are in {@code state}, read when scraped. */
    public void monitorDeployCount(String state, Supplier<Number> count) {
        Gauge.builder(DEPLOYS, count).tag("state", state).register(registry);
    }

    /** Which deploy is active: one row, replaced at each activation. */
    public void showActiveDeploy(String id) {
        activeDeploy.register(List.of(MultiGauge.Row.of(Tags.of("deploy", id), 1)), true);
    }

    /** Gauges of what each tier holds, and Caffeine's own statistics for the memory tier. */
    public void monitorStores(MemoryStore memory, RocksDbStore disk) {
        Gauge.builder(STORE_ENTRIES, memory, m -> m.cache().estimatedSize())
                .tag("tier", "memory")
                .register(registry);
        Gauge.builder(STORE_BYTES, memory, MemoryStore::weightedSize)
                .tag("tier", "memory")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("edge.store.offheap", memory, MemoryStore::offHeapBytes) // issue 12: part of the bytes above
                .tag("tier", "memory")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder(STORE_ENTRIES, disk, RocksDbStore::estimatedPages)
                .tag("tier", "disk")
                .register(registry);
        Gauge.builder(STORE_BYTES, disk, RocksDbStore::estimatedBytes)
                .tag("tier", "disk")
                .baseUnit("bytes")
                .register(registry);
        CaffeineCacheMetrics.monitor(registry, memory.cache(), "edge.memory");
    }

    /**
     * RocksDB's memory (issue 12): the block cache ({@code store.disk-cache}: its usage, capacity and pinned part),
     * the memtables of all families ({@code store.write-buffers}) and what table readers hold outside the cache.
     * Read when scraped, without waiting for the store (-1 while it reopens).
     */
    public void monitorDiskMemory(RocksDbStore disk) {
        diskBytes(DISK_CACHE_USAGE, "RocksDB block cache: bytes in use", disk, RocksDbStore::blockCacheUsage);
        diskBytes(DISK_CACHE_CAPACITY, "RocksDB block cache: capacity", disk, RocksDbStore::blockCacheCapacity);
        diskBytes(DISK_CACHE_PINNED, "RocksDB block cache: bytes pinned", disk, RocksDbStore::blockCachePinnedUsage);
        diskBytes(DISK_MEMTABLES, "RocksDB memtables, all column families", disk, RocksDbStore::memtableBytes);
        diskBytes(
                DISK_TABLE_READERS,
                "RocksDB table readers outside the block cache",
                disk,
                RocksDbStore::tableReaderBytes);
    }

    private void diskBytes(String name, String description, RocksDbStore disk, ToDoubleFunction<RocksDbStore> f) {
        Gauge.builder(name, disk, f).description(description).baseUnit("bytes").register(registry);
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

    /** Route names are bounded by the config (plus the implicit default route), so the tag stays bounded. */
    private RouteMeters route(String name) {
        return routes.computeIfAbsent(name, n -> {
            Counter[] byOutcome = new Counter[Outcome.values().length];
            for (Outcome o : Outcome.values()) {
                byOutcome[o.ordinal()] = Counter.builder(REQUESTS)
                        .description("Client requests by route and outcome")
                        .tag("route", n)
                        .tag("outcome", o.tag())
                        .register(registry);
            }
            Timer duration = Timer.builder(REQUEST_DURATION)
                    .description("Time from a complete client request to its response being written")
                    .tag("route", n)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry);
            return new RouteMeters(byOutcome, duration);
        });
    }

    /** Creates the meters of these routes now, so they are never created on the request path. */
    public void registerRoutes(List<String> routeNames) {
        routeNames.forEach(this::route);
    }

    public void exchange(String routeName, Outcome outcome, long nanos) {
        RouteMeters m = route(routeName);
        m.byOutcome()[outcome.ordinal()].increment();
        m.duration().record(nanos, TimeUnit.NANOSECONDS);
    }

    public double requestCount(String routeName, Outcome outcome) {
        return route(routeName).byOutcome()[outcome.ordinal()].count();
    }

    public void originResponse(long nanos) {
        originOk.increment();
        originDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void originFailure(boolean timeout) {
        (timeout ? originTimeout : originError).increment();
    }

    /**
     * An origin connection closed instead of reused because its framing was in doubt (issue 8): {@code reason} is one
     * of {@code unsolicited-bytes}, {@code early-response}, {@code unread-body}.
     */
    public void originConnectionDropped(String reason) {
        Counter c = originConnectionsDropped.get(reason);
        if (c == null) throw new IllegalArgumentException("unknown reason " + reason);
        c.increment();
    }

    /** A request answered 503 without asking the origin: {@code reason} is {@code circuit-open} or {@code backoff}. */
    public void originHeldBack(String reason) {
        Counter c = originHeldBack.get(reason);
        if (c == null) throw new IllegalArgumentException("unknown reason " + reason);
        c.increment();
    }

    /** Exports the origin circuit's state: 0 closed, 1 open, 2 half-open. */
    public void monitorCircuit(CircuitBreaker circuit) {
        Gauge.builder(ORIGIN_CIRCUIT_STATE, circuit, c -> c.state().ordinal())
                .description("Origin circuit breaker: 0 closed, 1 open, 2 half-open")
                .register(registry);
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

    /** Where store-time compression reports its copies: time, bytes in, kept and saved, copies not kept. */
    public CompressionMeter compression() {
        return compression;
    }

    // ---- reader-connection guards (issue 8.3)

    public static final String CLIENT_HEAD_TIMEOUTS = "edge.client.head.timeouts";
    public static final String CLIENT_CONNECTIONS_REFUSED = "edge.client.connections.refused";

    /**
     * The counters of the reader-connection guards: request heads that missed {@code limits.request-head-timeout},
     * and connections closed at once, by reason ({@code per-client}: over {@code limits.max-connections-per-client}).
     *
     * @param headTimeouts heads that did not arrive in time (answered 408, or closed when a response was owed)
     * @param refusedPerClient connections refused because their address had too many open
     */
    public record ClientConnectionMeters(Counter headTimeouts, Counter refusedPerClient) {}

    /** Registers (or finds) the reader-connection counters; call at start-up, not per connection. */
    public ClientConnectionMeters clientConnectionMeters() {
        return new ClientConnectionMeters(
                Counter.builder(CLIENT_HEAD_TIMEOUTS)
                        .description("Reader request heads that did not arrive within limits.request-head-timeout")
                        .register(registry),
                Counter.builder(CLIENT_CONNECTIONS_REFUSED)
                        .description("Reader connections closed at once, by reason")
                        .tag("reason", "per-client")
                        .register(registry));
    }

    // ---- HTTP/2 limits (issue 13)

    public static final String HTTP2_LIMIT_CLOSES = "edge.http2.limit.closes";

    /** The reasons of {@link #http2LimitCloses()}, in the order of the reader's h2 limits. */
    public static final List<String> HTTP2_LIMIT_REASONS =
            List.of("rapid-reset", "continuation-flood", "control-frame-flood", "empty-data-flood", "other");

    /**
     * Registers (or finds) {@code edge.http2.limit.closes{reason}}: reader h2 connections the edge closed with
     * GOAWAY because the peer passed one of the limits against known attacks ({@code rapid-reset}: too many
     * RST_STREAM, CVE-2023-44487; {@code continuation-flood}: tiny CONTINUATION frames, CVE-2024-27316; {@code
     * control-frame-flood}: SETTINGS/PING answers the peer does not read; {@code empty-data-flood}; {@code other}:
     * any other ENHANCE_YOUR_CALM). Call at start-up; one counter per reason, by name.
     */
    public Map<String, Counter> http2LimitCloses() {
        Map<String, Counter> counters = new HashMap<>();
        for (String reason : HTTP2_LIMIT_REASONS) {
            counters.put(
                    reason,
                    Counter.builder(HTTP2_LIMIT_CLOSES)
                            .description("Reader HTTP/2 connections closed for passing a limit, by reason")
                            .tag("reason", reason)
                            .register(registry));
        }
        return Map.copyOf(counters);
    }

    // ---- store health (issue 8.6)

    /** Issue 8.6: the disk tier's condition, one gauge per state (1 for the current one), like {@link #DEPLOYS}. */
    public static final String STORE_STATE = "edge.store.state";

    /** Gauges {@code edge.store.state{state=ok|no-space|read-only|failed}}: 1 for the store's current state, else 0. */
    public void monitorStoreHealth(StoreHealth health) {
        for (StoreHealth.State state : StoreHealth.State.values()) {
            Gauge.builder(STORE_STATE, health, h -> h.state() == state ? 1 : 0)
                    .description("1 for the disk tier's current state; anything but ok means new pages are not stored")
                    .tag("state", state.jsonName())
                    .register(registry);
        }
    }
}
