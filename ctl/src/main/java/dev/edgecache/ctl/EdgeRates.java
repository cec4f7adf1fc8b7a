package dev.edgecache.ctl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * What the edge did between two {@link Scrape}s of {@code GET /metrics}: rates per second, hit ratios, origin
 * latency, purges, and what the stores hold now. Plain arithmetic over the meters named in the proxy's
 * {@code EdgeMetrics} (Prometheus names: {@code edge_requests_total}, {@code edge_origin_duration_seconds}, ...),
 * so it is tested with canned text and no server. A counter that went down between the samples (the edge
 * restarted) counts from zero, as Prometheus' {@code rate()} does. Immutable.
 *
 * @param seconds the time that passed between the two samples
 * @param total all routes together (route name {@code "*"})
 * @param routes one entry per route, busiest first
 * @param activeDeploy the active deploy, or null when the edge does not say
 * @param heapBytes JVM heap in use, or NaN when not published
 * @param cpu the edge process's CPU use (0..1 of the whole machine), or NaN when not published
 */
record EdgeRates(
        double seconds,
        Traffic total,
        List<Traffic> routes,
        Origin origin,
        Purges purges,
        Stores stores,
        @Nullable String activeDeploy,
        double heapBytes,
        double cpu) {

    static final String REQUESTS = "edge_requests_total";
    static final String REQUEST_DURATION = "edge_request_duration_seconds";
    static final String ORIGIN_REQUESTS = "edge_origin_requests_total";
    static final String ORIGIN_DURATION = "edge_origin_duration_seconds";
    static final String ORIGIN_HELD_BACK = "edge_origin_held_back_total";
    static final String ORIGIN_CIRCUIT = "edge_origin_circuit_state";
    static final String PURGE_REQUESTS = "edge_purge_requests_total";
    static final String PURGED_KEYS = "edge_purged_keys_total";
    static final String STORE_ENTRIES = "edge_store_entries";
    static final String STORE_BYTES = "edge_store_bytes";
    static final String DEPLOY_ACTIVE = "edge_deploy_active_info";
    static final String HEAP_USED = "jvm_memory_used_bytes";
    static final String PROCESS_CPU = "process_cpu_usage";

    /** Served from the store: the reader waited for no origin. */
    static final Set<String> HITS = Set.of("hit-memory", "hit-disk", "hit-stale", "stale-if-error");
    /** Cacheable requests that needed the origin (or found nothing usable). */
    static final Set<String> MISSES = Set.of(
            "miss-stored",
            "miss-not-storable",
            "miss-collapsed",
            "refresh-stored",
            "revalidated",
            "origin-error",
            "origin-timeout",
            "only-if-cached");
    /** Readers who got a 5xx made by the edge (origin failure or overload). */
    static final Set<String> ERRORS = Set.of("origin-error", "origin-timeout", "overloaded");

    /**
     * One route's requests (or all routes' for {@link #total}), per second by outcome tag.
     *
     * @param meanSeconds mean time to answer in the interval, NaN without requests
     */
    record Traffic(String route, Map<String, Double> perSecond, double meanSeconds) {
        double requests() {
            return perSecond.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        double of(Set<String> outcomes) {
            double sum = 0;
            for (String o : outcomes) sum += perSecond.getOrDefault(o, 0.0);
            return sum;
        }

        double of(String outcome) {
            return perSecond.getOrDefault(outcome, 0.0);
        }

        /** Hits over hits and misses; passes, refusals and overload are not part of it. NaN when neither. */
        double hitRatio() {
            double hits = of(HITS);
            double all = hits + of(MISSES);
            return all == 0 ? Double.NaN : hits / all;
        }
    }

    /**
     * Requests to the origin in the interval.
     *
     * @param p50Seconds upper bound of the histogram bucket holding the median, NaN without responses
     * @param p99Seconds the same for the 99th percentile; infinite when it is above the largest bucket
     * @param circuit 0 closed, 1 open, 2 half-open, -1 unknown
     */
    record Origin(
            double okPerSecond,
            double errorsPerSecond,
            double timeoutsPerSecond,
            double heldBackPerSecond,
            double meanSeconds,
            double p50Seconds,
            double p99Seconds,
            int circuit) {}

    /** Purge calls and the keys they touched: per second in the interval, and since the edge started. */
    record Purges(double callsPerSecond, double callsTotal, double keysPerSecond, double keysTotal) {}

    /** What each tier holds at the second sample; NaN when not published. */
    record Stores(double memoryEntries, double memoryBytes, double diskEntries, double diskBytes) {}

    static EdgeRates between(Scrape before, Scrape after, double seconds) {
        if (!(seconds > 0)) throw new IllegalArgumentException("seconds must be positive, got " + seconds);
        Deltas d = new Deltas(before, after, seconds);
        Map<String, Map<String, Double>> byRoute = new TreeMap<>();
        Map<String, Double> all = new TreeMap<>();
        Set<String> routeNames = new TreeSet<>();
        for (Scrape.Sample s : after.samples(REQUESTS)) {
            String route = s.label("route");
            String outcome = s.label("outcome");
            if (route == null || outcome == null) continue;
            routeNames.add(route);
            double rate = d.rate(s);
            byRoute.computeIfAbsent(route, r -> new TreeMap<>()).merge(outcome, rate, Double::sum);
            all.merge(outcome, rate, Double::sum);
        }
        List<Traffic> routes = new ArrayList<>();
        for (String route : routeNames) {
            routes.add(new Traffic(
                    route,
                    Map.copyOf(byRoute.get(route)),
                    d.mean(REQUEST_DURATION, s -> route.equals(s.label("route")))));
        }
        routes.sort(Comparator.comparingDouble(Traffic::requests).reversed().thenComparing(Traffic::route));
        Traffic total = new Traffic("*", Map.copyOf(all), d.mean(REQUEST_DURATION, s -> true));

        Origin origin = new Origin(
                d.rate(ORIGIN_REQUESTS, s -> "ok".equals(s.label("result"))),
                d.rate(ORIGIN_REQUESTS, s -> "error".equals(s.label("result"))),
                d.rate(ORIGIN_REQUESTS, s -> "timeout".equals(s.label("result"))),
                d.rate(ORIGIN_HELD_BACK, s -> true),
                d.mean(ORIGIN_DURATION, s -> true),
                d.quantile(ORIGIN_DURATION, 0.50),
                d.quantile(ORIGIN_DURATION, 0.99),
                after.has(ORIGIN_CIRCUIT) ? (int) after.sum(ORIGIN_CIRCUIT) : -1);
        Purges purges = new Purges(
                d.rate(PURGE_REQUESTS, s -> true),
                after.sum(PURGE_REQUESTS),
                d.rate(PURGED_KEYS, s -> true),
                after.sum(PURGED_KEYS));
        Stores stores = new Stores(
                gauge(after, STORE_ENTRIES, "tier", "memory"),
                gauge(after, STORE_BYTES, "tier", "memory"),
                gauge(after, STORE_ENTRIES, "tier", "disk"),
                gauge(after, STORE_BYTES, "tier", "disk"));
        String deploy = null;
        for (Scrape.Sample s : after.samples(DEPLOY_ACTIVE)) {
            if (s.value() > 0) deploy = s.label("deploy");
        }
        double heap = after.has(HEAP_USED) ? after.sum(HEAP_USED, "area", "heap") : Double.NaN;
        double cpu = after.has(PROCESS_CPU) ? after.sum(PROCESS_CPU) : Double.NaN;
        return new EdgeRates(seconds, total, List.copyOf(routes), origin, purges, stores, deploy, heap, cpu);
    }

    private static double gauge(Scrape scrape, String name, String key, String value) {
        boolean present = scrape.samples(name).stream().anyMatch(s -> value.equals(s.label(key)));
        return present ? scrape.sum(name, key, value) : Double.NaN;
    }

    /** Differences of counters between two scrapes, matched by name and labels. */
    private static final class Deltas {
        /** The first scrape's values by name, then by labels; filled per name when first asked. */
        private final Map<String, Map<Map<String, String>, Double>> beforeValues = new HashMap<>();

        private final Scrape before;
        private final Scrape after;
        private final double seconds;

        Deltas(Scrape before, Scrape after, double seconds) {
            this.before = before;
            this.after = after;
            this.seconds = seconds;
        }

        /** How much the counter {@code s} (from the second scrape) grew; from zero if it went down. */
        double delta(Scrape.Sample s) {
            Map<Map<String, String>, Double> values = beforeValues.computeIfAbsent(s.name(), name -> {
                Map<Map<String, String>, Double> byLabels = new HashMap<>();
                for (Scrape.Sample b : before.samples(name)) byLabels.put(b.labels(), b.value());
                return byLabels;
            });
            double was = values.getOrDefault(s.labels(), 0.0); // a meter that appeared since started at zero
            return s.value() >= was ? s.value() - was : s.value();
        }

        double rate(Scrape.Sample s) {
            return delta(s) / seconds;
        }

        double delta(String name, Predicate<Scrape.Sample> filter) {
            double sum = 0;
            for (Scrape.Sample s : after.samples(name)) {
                if (filter.test(s)) sum += delta(s);
            }
            return sum;
        }

        double rate(String name, Predicate<Scrape.Sample> filter) {
            return delta(name, filter) / seconds;
        }

        /** Mean of a timer ({@code _sum}/{@code _count}) over the interval; NaN when nothing was timed. */
        double mean(String timer, Predicate<Scrape.Sample> filter) {
            double count = delta(timer + "_count", filter);
            return count == 0 ? Double.NaN : delta(timer + "_sum", filter) / count;
        }

        /**
         * The upper bound of the first histogram bucket ({@code _bucket{le=...}}, cumulative) that holds a share
         * {@code q} of the interval's observations: "p99 ≤ 25ms". NaN when nothing was observed.
         */
        double quantile(String timer, double q) {
            TreeMap<Double, Double> cumulative = new TreeMap<>();
            for (Scrape.Sample s : after.samples(timer + "_bucket")) {
                String le = s.label("le");
                if (le == null) continue;
                double bound;
                try {
                    bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                } catch (NumberFormatException e) {
                    continue; // not a bucket bound: ignored like any line ctl does not understand
                }
                cumulative.merge(bound, delta(s), Double::sum);
            }
            if (cumulative.isEmpty()) return Double.NaN;
            double count = cumulative.lastEntry().getValue();
            if (count == 0) return Double.NaN;
            for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
                if (bucket.getValue() >= q * count) return bucket.getKey();
            }
            return Double.POSITIVE_INFINITY;
        }
    }
}
