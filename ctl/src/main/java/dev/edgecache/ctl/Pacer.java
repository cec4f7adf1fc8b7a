package dev.edgecache.ctl;

import java.time.Duration;

/**
 * The time a {@code ctl} command that repeats itself reads and waits on ({@code ctl top}): a monotonic clock and a
 * sleep. Injected so tests run a one-second interval without waiting a second, and so rates are computed from
 * the time that really passed between two samples, not from the interval asked for.
 */
interface Pacer {
    /** A monotonic reading in nanoseconds, like {@link System#nanoTime()}. */
    long nanoTime();

    /** Waits {@code duration}; returns early only by interruption. */
    void sleep(Duration duration) throws InterruptedException;

    /** The real clock and {@link Thread#sleep}. */
    static Pacer system() {
        return new Pacer() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                if (duration.isPositive()) Thread.sleep(duration);
            }
        };
    }
}
