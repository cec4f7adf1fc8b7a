package dev.edgecache.proxy.cache;

import dev.edgecache.common.key.KeyRules;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.origin.OriginClient;
import dev.edgecache.proxy.store.TieredStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The one place a {@link PageCache} is put together with the parts that must share its purge fence (the {@link
 * Purger} of admin and cluster purges, the invalidations of unsafe requests). The server, the benchmarks and the
 * tests build their cache here, so a new part is wired once.
 *
 * @param cache the cache behind the reader port
 * @param purger purges through the cache's fence
 * @param fence the fence every write and promotion of {@code cache} passes
 */
public record CacheAssembly(PageCache cache, Purger purger, PurgeFence fence) {
    /** Waiters one cache key may collect before further readers are shed. */
    public static final int MAX_WAITERS_PER_KEY = 4096;

    /** Starts an assembly from the parts every cache needs; the rest have defaults. */
    public static Builder builder(
            TieredStore store,
            ExecutorService storeExecutor,
            ActiveDeploys deploys,
            Supplier<List<String>> liveDeploys,
            OriginClient origin,
            EdgeMetrics metrics) {
        return new Builder(store, storeExecutor, deploys, liveDeploys, origin, metrics);
    }

    /** Optional parts, defaulting to the system clock, the default key rules, no error backoff. */
    public static final class Builder {
        private final TieredStore store;
        private final ExecutorService storeExecutor;
        private final ActiveDeploys deploys;
        private final Supplier<List<String>> liveDeploys;
        private final OriginClient origin;
        private final EdgeMetrics metrics;
        private InstantSource clock = InstantSource.system();
        private KeyRules keyRules = KeyRules.DEFAULT;
        private Duration errorBackoff = Duration.ZERO;
        private int maxWaitersPerKey = MAX_WAITERS_PER_KEY;

        private Builder(
                TieredStore store,
                ExecutorService storeExecutor,
                ActiveDeploys deploys,
                Supplier<List<String>> liveDeploys,
                OriginClient origin,
                EdgeMetrics metrics) {
            this.store = store;
            this.storeExecutor = storeExecutor;
            this.deploys = deploys;
            this.liveDeploys = liveDeploys;
            this.origin = origin;
            this.metrics = metrics;
        }

        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        /** How purge targets are normalised, as the reader port keys requests. */
        public Builder keyRules(KeyRules keyRules) {
            this.keyRules = keyRules;
            return this;
        }

        /** {@code origin.error-backoff}: how long a failed render holds back the next one for its key. */
        public Builder errorBackoff(Duration errorBackoff) {
            this.errorBackoff = errorBackoff;
            return this;
        }

        public Builder maxWaitersPerKey(int maxWaitersPerKey) {
            this.maxWaitersPerKey = maxWaitersPerKey;
            return this;
        }

        public CacheAssembly build() {
            PurgeFence fence = new PurgeFence();
            Purger purger = new Purger(store, fence, liveDeploys, clock, keyRules);
            PageCache cache = new PageCache(
                    store,
                    storeExecutor,
                    deploys,
                    fence,
                    origin,
                    new RequestCoalescer<EntryKey, Fetched>(maxWaitersPerKey),
                    metrics,
                    clock,
                    purger,
                    errorBackoff);
            return new CacheAssembly(cache, purger, fence);
        }
    }
}
