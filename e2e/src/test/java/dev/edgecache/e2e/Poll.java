package dev.edgecache.e2e;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Waits for a condition with a deadline (STYLE 11: poll a condition, never sleep to win a race). */
final class Poll {
    private static final Duration PAUSE = Duration.ofMillis(50);

    private Poll() {}

    /**
     * Calls {@code condition} until it returns true or {@code timeout} has passed. An exception from the condition
     * counts as "not yet" (a port that is not listening yet refuses the connection).
     *
     * @param diagnostics what to add to the failure message, read only when the deadline passes
     * @throws AssertionError when the deadline passes, naming {@code what}, the last exception and the diagnostics
     */
    static void until(String what, Duration timeout, Callable<Boolean> condition, Supplier<String> diagnostics)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (condition.call()) return;
                last = null;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                AssertionError error = new AssertionError("timed out after " + timeout.toMillis() + "ms waiting for "
                        + what + (last == null ? "" : " (last error: " + last + ")") + "\n" + diagnostics.get());
                if (last != null) error.addSuppressed(last);
                throw error;
            }
            Thread.sleep(PAUSE);
        }
    }
}
