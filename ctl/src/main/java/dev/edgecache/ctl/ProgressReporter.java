package dev.edgecache.ctl;

import java.io.PrintWriter;

/**
 * Shows deploy progress on stderr, keeping stdout for the result. On a terminal it redraws one line in place
 * ({@code \r}); otherwise (CI logs, files) it prints a plain line only when something changed, so a log gets a
 * few readable lines instead of one per poll. Used from the command thread only.
 */
final class ProgressReporter {
    private final PrintWriter err;
    private final boolean terminal;
    private String last = "";

    ProgressReporter(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    void show(DeployStatus status) {
        String line = ProgressBar.line(status);
        if (line.equals(last)) return;
        if (terminal) {
            // pad over the previous line's tail instead of relying on ANSI erase codes
            err.print("\r" + line + " ".repeat(Math.max(0, last.length() - line.length())));
        } else {
            err.println(line);
        }
        err.flush();
        last = line;
    }

    /** Ends the redrawn line so later output starts on its own line. Safe to call more than once. */
    void finish() {
        if (terminal && !last.isEmpty()) {
            err.println();
            err.flush();
        }
        last = "";
    }
}
