package dev.edgecache.origin.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The transactional outbox of purge requests. {@link #enqueue} writes {@code {"tags":[...]}} on the caller's
 * connection, so the purge commits or rolls back with the change that caused it; {@link PurgeSender} delivers
 * the rows and deletes them once the edge acknowledges. When the edge link is disabled, nothing is written.
 * Thread-safe.
 */
public final class Outbox {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean enabled;
    private final InstantSource clock;
    private final BlockingQueue<Boolean> signal = new ArrayBlockingQueue<>(1);
    /** Highest row id the edge has acknowledged (rows are sent in id order). Guarded by this. */
    private long deliveredUpTo;
    /** Highest row id a caller of {@link #wakeAndAwait} waits for. Guarded by this. */
    private long awaited;
    /** A sender is running; without one nobody would acknowledge, so nobody waits. */
    private volatile boolean delivering;

    public Outbox(boolean enabled, InstantSource clock) {
        this.enabled = enabled;
        this.clock = clock;
    }

    /** Adds a purge of {@code tags} (deduplicated, in order) in the caller's transaction; no-op when empty. */
    public void enqueue(Connection c, Collection<String> tags) throws SQLException {
        if (!enabled || tags.isEmpty()) return;
        String payload;
        try {
            payload = JSON.writeValueAsString(Map.of("tags", List.copyOf(new LinkedHashSet<>(tags))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode purge tags", e);
        }
        long now = clock.millis();
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO outbox (payload, created_at, attempts, next_attempt_at) VALUES (?, ?, 0, ?)")) {
            p.setString(1, payload);
            p.setLong(2, now);
            p.setLong(3, now);
            p.executeUpdate();
        }
    }

    /** Tells the sender that rows were committed; call after the transaction. */
    public void wake() {
        signal.offer(Boolean.TRUE);
    }

    /**
     * Wakes the sender and waits, at most {@code timeout}, until the edge has acknowledged every row up to
     * {@code upToId}, so that the author's next request through the edge already sees the change. On timeout (the
     * edge is down) the rows stay in the outbox and are retried; the change itself is committed either way.
     *
     * @return true if delivered in time
     */
    public boolean wakeAndAwait(long upToId, Duration timeout) {
        if (!enabled || !delivering) {
            wake();
            return true;
        }
        synchronized (this) {
            awaited = Math.max(awaited, upToId); // before the wake-up, so the sender sees it
        }
        wake();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (deliveredUpTo < upToId) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Called by the sender when it starts and stops. */
    void delivering(boolean on) {
        delivering = on;
    }

    /** Called by the sender once the edge acknowledged row {@code id}. */
    synchronized void delivered(long id) {
        if (id > deliveredUpTo) {
            deliveredUpTo = id;
            notifyAll();
        }
    }

    /** The highest row id someone waits for and that is not known to be delivered; 0 when nobody waits. */
    synchronized long awaited() {
        return awaited > deliveredUpTo ? awaited : 0;
    }

    /**
     * The lowest row id still in the outbox. Rows are deleted only once delivered and ids are committed in
     * increasing order (writes are serialised), so every id below it has been delivered, possibly by the sender of
     * another origin sharing the database.
     */
    static Optional<Long> lowestPendingId(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT MIN(id) FROM outbox")) {
            if (!rs.next()) return Optional.empty();
            long v = rs.getLong(1);
            return rs.wasNull() ? Optional.empty() : Optional.of(v);
        }
    }

    /** The newest row id, 0 when the outbox is empty. */
    public static long lastId(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT MAX(id) FROM outbox")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Waits until {@link #wake()} or the timeout; returns early on interrupt. */
    boolean awaitWake(Duration timeout) {
        try {
            return signal.poll(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS) != null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static List<OutboxEntry> due(Connection c, long now, int limit) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT id, payload, attempts FROM outbox " + "WHERE next_attempt_at <= ? ORDER BY id LIMIT ?")) {
            p.setLong(1, now);
            p.setInt(2, limit);
            try (ResultSet rs = p.executeQuery()) {
                List<OutboxEntry> out = new ArrayList<>();
                while (rs.next()) out.add(new OutboxEntry(rs.getLong(1), rs.getString(2), rs.getInt(3)));
                return out;
            }
        }
    }

    static Optional<Long> nextAttemptAt(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT MIN(next_attempt_at) FROM outbox")) {
            if (!rs.next()) return Optional.empty();
            long v = rs.getLong(1);
            return rs.wasNull() ? Optional.empty() : Optional.of(v);
        }
    }

    static void delete(Connection c, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM outbox WHERE id = ?")) {
            p.setLong(1, id);
            p.executeUpdate();
        }
    }

    static void reschedule(Connection c, long id, int attempts, long nextAttemptAt, String error) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?")) {
            p.setInt(1, attempts);
            p.setLong(2, nextAttemptAt);
            p.setString(3, error.length() > 500 ? error.substring(0, 500) : error);
            p.setLong(4, id);
            p.executeUpdate();
        }
    }

    /** Rows not yet acknowledged by the edge. */
    public static long pending(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM outbox")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
