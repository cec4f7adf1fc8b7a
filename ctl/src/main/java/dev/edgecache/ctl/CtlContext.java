package dev.edgecache.ctl;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;

/**
 * What a {@code ctl} run may touch of the outside world, injected so tests can capture it: the environment,
 * stdout (results, pipe-friendly), stderr (progress, warnings and errors), whether the console is a terminal
 * (then progress is one line redrawn in place and {@code ctl top} redraws its screen, otherwise plain lines), and
 * the clock that repeating commands read and sleep on.
 */
record CtlContext(EnvLookup env, PrintWriter out, PrintWriter err, boolean stderrIsTerminal, Pacer pacer) {
    CtlContext {
        requireNonNull(env, "env");
        requireNonNull(out, "out");
        requireNonNull(err, "err");
        requireNonNull(pacer, "pacer");
    }

    /** With the real clock. */
    CtlContext(EnvLookup env, PrintWriter out, PrintWriter err, boolean stderrIsTerminal) {
        this(env, out, err, stderrIsTerminal, Pacer.system());
    }
}
