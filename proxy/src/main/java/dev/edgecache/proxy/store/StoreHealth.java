package dev.edgecache.proxy.store;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.rocksdb.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the disk tier can store pages now, and if not, why. A full or read-only disk used to show only as one
 * WARN per miss without the cause (RocksDB wrote it to its own LOG), with {@code /readyz} still plain "ready". Here
 * the cause is logged once when the state changes (WARN with RocksDB's status on the way down, INFO on the way
 * back), and the state is what the {@code edge.store.state} gauge and the readiness detail show.
 *
 * <p>Thread-safe: callers are the store's threads, its health check and RocksDB's background threads (through its
 * event listener); transitions are synchronized, so each change is logged exactly once; reads are a volatile read.
 */
public final class StoreHealth {
    private static final Logger log = LoggerFactory.getLogger(StoreHealth.class);

    /** The disk tier's condition. Anything but {@link #OK} means new pages are not stored; reads go on. */
    public enum State {
        /** Storing. */
        OK,
        /** The disk is full, or its free space is below {@code store.min-free-space}. */
        NO_SPACE,
        /** The file system refuses writes (remounted read-only, or a permission taken away). */
        READ_ONLY,
        /** Another I/O or consistency error from RocksDB. */
        FAILED;

        /** The name in logs, JSON and the gauge's {@code state} tag: {@code ok}, {@code no-space}... */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** One observation: the state, what said so (RocksDB's status or the free-space check), and since when. */
    public record Snapshot(State state, String reason, Instant since) {
        public boolean degraded() {
            return state != State.OK;
        }

        /**
         * The readiness detail: {@code {"status":"ok"}}, or {@code {"status":"degraded","state":"no-space",
         * "reason":"...","since":"..."}}. Degraded is still ready: misses are served from the origin, only not stored.
         */
        public Map<String, Object> detail() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", degraded() ? "degraded" : "ok");
            if (degraded()) {
                out.put("state", state.jsonName());
                out.put("reason", reason);
                out.put("since", since.toString());
            }
            return out;
        }
    }

    private final InstantSource clock;
    private volatile Snapshot current; // replaced only under this object's lock

    public StoreHealth(InstantSource clock) {
        this.clock = clock;
        this.current = new Snapshot(State.OK, "", clock.instant());
    }

    public Snapshot snapshot() {
        return current;
    }

    public State state() {
        return current.state();
    }

    /**
     * Enters {@code state} (not {@link State#OK}) because of {@code reason}; logs only when the state changes, so a
     * burst of failing writes says it once.
     *
     * @return whether the state changed
     */
    synchronized boolean degrade(State state, String reason) {
        if (state == State.OK) throw new IllegalArgumentException("degrade to ok; use recover");
        Snapshot was = current;
        if (was.state() == state) return false;
        current = new Snapshot(state, reason, clock.instant());
        log.warn(
                "store.state state={} was={} reason=\"{}\" action=\"not storing new pages; serving misses from the"
                        + " origin and hits from memory and disk\"",
                state.jsonName(),
                was.state().jsonName(),
                reason);
        return true;
    }

    /**
     * Back to {@link State#OK}, saying {@code how}; a no-op when already there.
     *
     * @return whether the state changed
     */
    synchronized boolean recover(String how) {
        Snapshot was = current;
        if (!was.degraded()) return false;
        Snapshot now = new Snapshot(State.OK, "", clock.instant());
        current = now;
        log.info(
                "store.state state=ok was={} after={} how=\"{}\" action=\"storing again\"",
                was.state().jsonName(),
                Duration.between(was.since(), now.since()),
                how);
        return true;
    }

    /**
     * Which state a RocksDB failure puts the store in, or null when it says nothing about the disk (a busy or
     * invalid-argument answer to one call). The message is checked as well as the code because RocksDB reports an
     * {@code ENOSPC} from a background flush as a plain I/O error with the OS text in it.
     */
    static @Nullable State classify(@Nullable Status status, @Nullable String message) {
        String text = ((status != null && status.getState() != null ? status.getState() : "") + " "
                        + (message != null ? message : ""))
                .toLowerCase(Locale.ROOT);
        if (status != null && status.getSubCode() == Status.SubCode.NoSpace) return State.NO_SPACE;
        if (text.contains("no space left on device") || text.contains("disk quota exceeded")) return State.NO_SPACE;
        if (text.contains("read-only file system") || text.contains("permission denied")) return State.READ_ONLY;
        if (status == null) return State.FAILED;
        return switch (status.getCode()) {
            case IOError, Corruption -> State.FAILED;
            default -> null;
        };
    }

    /** RocksDB's status in one line, for the log and the readiness detail. */
    static String describe(@Nullable Status status, @Nullable String message) {
        if (status == null) return message != null ? message : "(no detail)";
        String state = status.getState();
        String code = status.getCodeString();
        if (state == null || state.isBlank()) return message != null ? message : code;
        return state.startsWith(code) ? state : code + ": " + state;
    }
}
