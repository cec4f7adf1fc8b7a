package dev.edgecache.ctl;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;

/**
 * What a {@code ctl} run may touch of the outside world, injected so tests can capture it: the environment,
 * stdout (results, pipe-friendly), stderr (progress, warnings and errors), and whether stderr is a terminal
 * (then progress is one line redrawn in place, otherwise plain lines).
 */
record CtlContext(EnvLookup env, PrintWriter out, PrintWriter err, boolean stderrIsTerminal) {
    CtlContext {
        requireNonNull(env, "env");
        requireNonNull(out, "out");
        requireNonNull(err, "err");
    }
}
