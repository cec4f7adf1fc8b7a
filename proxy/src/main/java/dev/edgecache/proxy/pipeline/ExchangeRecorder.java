package dev.edgecache.proxy.pipeline;

import dev.edgecache.proxy.accesslog.AccessEntry;
import dev.edgecache.proxy.accesslog.AccessLog;
import dev.edgecache.proxy.cache.RouteTable;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.metrics.Outcome;
import java.time.InstantSource;
import java.util.function.Supplier;

/**
 * Records each finished exchange once: the {@code edge.requests} counter and duration by route and outcome, and
 * one line in the {@link AccessLog} when it is on. Thread-safe.
 */
final class ExchangeRecorder {
    private final EdgeMetrics metrics;
    private final AccessLog accessLog;
    private final Supplier<String> activeDeploy;
    private final InstantSource clock;

    ExchangeRecorder(EdgeMetrics metrics, AccessLog accessLog, Supplier<String> activeDeploy, InstantSource clock) {
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.activeDeploy = activeDeploy;
        this.clock = clock;
    }

    /**
     * @param bytes body bytes of the answer
     * @param client the reader's IP address (the connection's peer: for HTTP/3 the QUIC peer, not the stream)
     */
    void finished(ClientRequest req, int status, long bytes, Outcome outcome, String client) {
        long nanos = System.nanoTime() - req.startNanos();
        metrics.exchange(req.route().name(), outcome, nanos);
        if (accessLog.enabled()) {
            accessLog.write(new AccessEntry(
                    client,
                    clock.millis(),
                    req.method(),
                    req.key().target(),
                    status,
                    bytes,
                    nanos / 1000,
                    req.route().name(),
                    outcome.tag(),
                    activeDeploy.get(),
                    req.referer(),
                    req.userAgent()));
        }
    }

    /** A request refused before it could be routed. */
    void rejected(Outcome outcome) {
        metrics.exchange(RouteTable.DEFAULT_ROUTE_NAME, outcome, 0);
    }
}
