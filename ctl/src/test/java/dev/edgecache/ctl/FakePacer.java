package dev.edgecache.ctl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link Pacer} whose clock moves only when slept on: a one-second interval takes no time in a test. */
final class FakePacer implements Pacer {
    private long nanos;
    private final List<Duration> sleeps = new ArrayList<>();

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        sleeps.add(duration);
        nanos += duration.toNanos();
    }

    synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }
}
