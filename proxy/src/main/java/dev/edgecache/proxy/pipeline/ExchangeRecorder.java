package dev.edgecache.proxy.pipeline;

import dev.edgecache.proxy.cache.RouteTable;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.metrics.Outcome;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each finished exchange once: the {@code edge.requests} counter and duration by route and outcome,
 * and one access-log line on the {@code edge.access} logger. Thread-safe.
 */
final class ExchangeRecorder {
    private static final Logger access = LoggerFactory.getLogger("edge.access");
    private final EdgeMetrics metrics;

    ExchangeRecorder(EdgeMetrics metrics) {
        this.metrics = metrics;
    }

    /** @param client the reader's address, only formatted when the access log is on */
    void finished(ClientRequest req, int status, Outcome outcome, SocketAddress client) {
        long nanos = System.nanoTime() - req.startNanos();
        metrics.exchange(req.route().name(), outcome, nanos);
        if (access.isInfoEnabled()) {
            access.info(
                    "{} \"{} {}\" {} route={} outcome={} us={}",
                    client,
                    req.method(),
                    req.key().target(),
                    status,
                    req.route().name(),
                    outcome.tag(),
                    nanos / 1000);
        }
    }

    /** A request refused before it could be routed. */
    void rejected(Outcome outcome) {
        metrics.exchange(RouteTable.DEFAULT_ROUTE_NAME, outcome, 0);
    }
}
