package dev.edgecache.origin.outbox;

import java.time.Duration;

/** Exponential retry delays: {@code min}, {@code 2·min}, {@code 4·min}…, never more than {@code max}. */
record Backoff(Duration min, Duration max) {
    Backoff {
        if (!min.isPositive()) throw new IllegalArgumentException("min must be positive, got " + min);
        if (max.compareTo(min) < 0) throw new IllegalArgumentException("max " + max + " is shorter than min " + min);
    }

    /** The delay after the {@code failures}-th consecutive failure (1-based). */
    Duration delayAfter(int failures) {
        int shift = Math.min(Math.max(failures - 1, 0), 30);
        long millis = min.toMillis() << shift;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
