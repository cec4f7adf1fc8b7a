package dev.edgecache.origin.outbox;

import dev.edgecache.origin.db.Database;
import dev.edgecache.origin.db.DatabaseException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox to the edge: {@code POST {admin-url}/purge} with the row's JSON, {@code Authorization: Bearer}
 * and {@code Content-Type: application/json}. A 2xx deletes the row; anything else reschedules it with exponential
 * backoff, so purges survive an edge that is down or restarting (and an origin restart: rows are durable). Rows go
 * in id order; after a failure the rest of the batch waits for the next round.
 *
 * <p>Owns one daemon thread, started by {@link #start()} and stopped and joined by {@link #close()}.
 */
public final class PurgeSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PurgeSender.class);
    private static final Duration IDLE_POLL = Duration.ofSeconds(5);
    private static final int BATCH = 50;

    private final Database db;
    private final Outbox outbox;
    private final URI purgeUri;
    private final String token;
    private final Duration timeout;
    private final Backoff backoff;
    private final InstantSource clock;
    private final HttpClient client;
    private final Thread thread;
    private volatile boolean running = true;
    private boolean failing;

    public PurgeSender(
            Database db,
            Outbox outbox,
            URI purgeUri,
            String token,
            Duration timeout,
            Duration retryMin,
            Duration retryMax,
            InstantSource clock) {
        this.db = db;
        this.outbox = outbox;
        this.purgeUri = purgeUri;
        this.token = token;
        this.timeout = timeout;
        this.backoff = new Backoff(retryMin, retryMax);
        this.clock = clock;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.thread = Thread.ofPlatform().name("edge-purge-sender").daemon().unstarted(this::run);
    }

    public void start() {
        outbox.delivering(true);
        thread.start();
        log.info("outbox.sender.started url={}", purgeUri);
    }

    private void run() {
        while (running) {
            try {
                sendDue();
                outbox.awaitWake(untilNextAttempt());
            } catch (DatabaseException e) {
                log.warn("outbox.sender.db-failed error={}", e.getMessage());
                outbox.awaitWake(IDLE_POLL);
            } catch (RuntimeException e) {
                log.warn("outbox.sender.failed error={}", e.toString(), e);
                outbox.awaitWake(IDLE_POLL);
            }
        }
    }

    @SuppressWarnings("NullAway") // SqlWork<Void> lambdas return null; NullAway does not track the type argument
    private void sendDue() {
        settleAwaited();
        List<OutboxEntry> due = db.read(c -> Outbox.due(c, clock.millis(), BATCH));
        for (OutboxEntry entry : due) {
            if (!running) return;
            Optional<String> error = send(entry);
            if (error.isEmpty()) {
                db.write(c -> {
                    Outbox.delete(c, entry.id());
                    return null;
                });
                outbox.delivered(entry.id());
                if (failing) {
                    failing = false;
                    log.info("outbox.send.recovered url={} id={}", purgeUri, entry.id());
                }
                log.debug("outbox.sent id={} attempts={}", entry.id(), entry.attempts() + 1);
            } else {
                int attempts = entry.attempts() + 1;
                Duration delay = backoff.delayAfter(attempts);
                db.write(c -> {
                    Outbox.reschedule(c, entry.id(), attempts, clock.millis() + delay.toMillis(), error.get());
                    return null;
                });
                if (!failing) {
                    failing = true;
                    log.warn(
                            "outbox.send.failed url={} id={} attempts={} retry-in={}ms error={}",
                            purgeUri,
                            entry.id(),
                            attempts,
                            delay.toMillis(),
                            error.get());
                } else {
                    log.debug(
                            "outbox.send.failed id={} attempts={} retry-in={}ms error={}",
                            entry.id(),
                            attempts,
                            delay.toMillis(),
                            error.get());
                }
                return; // the edge is likely down: let the backoff decide when to try again
            }
        }
    }

    /**
     * Releases a waiting change whose rows are already gone: when several origins share one database, whichever
     * sender comes first delivers a row and deletes it, and this sender would never see it.
     */
    private void settleAwaited() {
        long awaited = outbox.awaited();
        if (awaited == 0) return;
        Optional<Long> lowest = db.read(Outbox::lowestPendingId);
        if (lowest.isEmpty() || lowest.get() > awaited) outbox.delivered(awaited);
    }

    /** Empty on a 2xx, otherwise what went wrong. */
    private Optional<String> send(OutboxEntry entry) {
        HttpRequest.Builder request = HttpRequest.newBuilder(purgeUri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(entry.payload()));
        if (!token.isEmpty()) request.header("Authorization", "Bearer " + token);
        try {
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return status >= 200 && status < 300 ? Optional.empty() : Optional.of("status " + status);
        } catch (IOException e) {
            return Optional.of(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    private Duration untilNextAttempt() {
        Optional<Long> next = db.read(Outbox::nextAttemptAt);
        if (next.isEmpty()) return IDLE_POLL;
        long wait = next.get() - clock.millis();
        return Duration.ofMillis(Math.max(1, Math.min(wait, IDLE_POLL.toMillis())));
    }

    @Override
    public void close() {
        running = false;
        outbox.delivering(false);
        outbox.wake();
        thread.interrupt();
        try {
            thread.join(timeout.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
