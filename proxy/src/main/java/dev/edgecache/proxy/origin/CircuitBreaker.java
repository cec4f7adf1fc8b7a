package dev.edgecache.proxy.origin;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The origin's circuit (issue 8): after {@code threshold} consecutive failed requests it opens, and requests that
 * would reach the origin fail at once instead of piling up on an origin that is down; after {@code openFor} one
 * probe request is let through (half-open), whose success closes the circuit and whose failure opens it again.
 * Plain Java with an injected nanosecond clock; thread-safe (every method is synchronized: it is called once per
 * origin request, never per byte).
 */
public final class CircuitBreaker {
    /** As exported by the {@code edge.origin.circuit.state} gauge. */
    public enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    private final int threshold;
    private final long openForNanos;
    private final LongSupplier nanoTime;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openedAt;
    private boolean probeInFlight;

    /** @param threshold consecutive failures that open the circuit; 0 never opens it */
    public CircuitBreaker(int threshold, Duration openFor, LongSupplier nanoTime) {
        if (threshold < 0) throw new IllegalArgumentException("threshold must be >= 0, got " + threshold);
        this.threshold = threshold;
        this.openForNanos = openFor.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Whether a request may go to the origin now; in half-open, only the one probe may. */
    public synchronized boolean tryAcquire() {
        if (state == State.OPEN && nanoTime.getAsLong() - openedAt >= openForNanos) {
            state = State.HALF_OPEN;
            probeInFlight = false;
        }
        return switch (state) {
            case CLOSED -> true;
            case OPEN -> false;
            case HALF_OPEN -> {
                if (probeInFlight) yield false;
                probeInFlight = true;
                yield true;
            }
        };
    }

    public synchronized void onSuccess() {
        consecutiveFailures = 0;
        state = State.CLOSED;
        probeInFlight = false;
    }

    public synchronized void onFailure() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || (threshold > 0 && consecutiveFailures >= threshold)) {
            state = State.OPEN;
            openedAt = nanoTime.getAsLong();
            probeInFlight = false;
        }
    }

    public synchronized State state() {
        return state;
    }
}
