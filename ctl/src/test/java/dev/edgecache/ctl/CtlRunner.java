package dev.edgecache.ctl;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs {@code ctl} in-process with a given environment and captures stdout, stderr and the exit code. */
final class CtlRunner {
    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {}

    private final Map<String, String> env;
    private final boolean terminal;
    private final Pacer pacer;

    private CtlRunner(Map<String, String> env, boolean terminal, Pacer pacer) {
        this.env = Map.copyOf(env);
        this.terminal = terminal;
        this.pacer = pacer;
    }

    /** No environment variables, stderr not a terminal. */
    static CtlRunner plain() {
        return new CtlRunner(Map.of(), false, Pacer.system());
    }

    static CtlRunner withEnv(Map<String, String> env) {
        return new CtlRunner(env, false, Pacer.system());
    }

    CtlRunner onTerminal() {
        return new CtlRunner(env, true, pacer);
    }

    /** Repeating commands ({@code top}) read and sleep on {@code pacer} instead of the real clock. */
    CtlRunner pacedBy(Pacer pacer) {
        return new CtlRunner(env, terminal, pacer);
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CtlContext ctx = new CtlContext(env::get, new PrintWriter(out), new PrintWriter(err), terminal, pacer);
        int code = EdgeCtl.run(ctx, args);
        return new Result(code, out.toString(), err.toString());
    }
}
