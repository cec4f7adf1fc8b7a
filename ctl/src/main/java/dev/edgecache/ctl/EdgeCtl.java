package dev.edgecache.ctl;

import java.io.Console;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * The SRE command line: {@code java -jar edge-proxy.jar ctl <command>}, a client of the admin port
 * (DESIGN §2). Commands: {@code purge}, {@code deploy}, {@code rollback}, {@code deploys}, {@code inspect},
 * {@code keys}, {@code top}; see {@code ctl/README.md}.
 *
 * <p>Results go to stdout, progress and errors to stderr. Exit codes: 0 ok, 1 the admin port answered an error,
 * 2 usage error, 3 admin port unreachable, 4 token refused, 5 a watched deploy did not end active.
 *
 * <p>Thread-safety: {@link #run} may be called from any thread; each call is independent.
 */
public final class EdgeCtl {
    private EdgeCtl() {}

    /**
     * {@code java -cp edge-proxy.jar dev.edgecache.ctl.EdgeCtl <command>}: the entry point of {@code bin/ctl}. It
     * loads only ctl's classes (picocli, Jackson, the JDK HTTP client), not the proxy's {@code EdgeMain}, whose
     * logger loads and configures Logback (about 520 classes) before {@code java -jar edge-proxy.jar ctl} gets
     * here, so a call starts faster (bench/RESULTS.md §10).
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs {@code ctl} with {@code args} (without the leading "ctl") against the real environment, stdout and
     * stderr, and returns the exit code. Does not call {@code System.exit}; does not close the streams.
     */
    public static int run(String... args) {
        EnvLookup env = EnvLookup.system();
        CtlContext ctx = new CtlContext(env, writer(System.out), writer(System.err), stderrIsTerminal(env));
        return run(ctx, args);
    }

    /**
     * Runs {@code ctl} in this JVM with the given environment and writers, for another module's tests (the proxy's
     * end-to-end tests drive {@code ctl} against a real edge) and embedding. Does not close the writers.
     */
    public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        Map<String, String> copy = Map.copyOf(env);
        return run(new CtlContext(copy::get, out, err, false), args);
    }

    static int run(CtlContext ctx, String... args) {
        try {
            return commandLine(ctx).execute(args);
        } finally {
            ctx.out().flush();
            ctx.err().flush();
        }
    }

    static CommandLine commandLine(CtlContext ctx) {
        CommandLine cl = new CommandLine(new RootCommand())
                .addSubcommand(new PurgeCommand(ctx))
                .addSubcommand(new DeployCommand(ctx))
                .addSubcommand(new RollbackCommand(ctx))
                .addSubcommand(new ReloadCommand(ctx))
                .addSubcommand(new DeploysCommand(ctx))
                .addSubcommand(new InspectCommand(ctx))
                .addSubcommand(new KeysCommand(ctx))
                .addSubcommand(new TopCommand(ctx))
                .addSubcommand(new ClusterCommand(ctx));
        // after the subcommands are added: these setters apply to the hierarchy as it is now
        return cl.setOut(ctx.out())
                .setErr(ctx.err())
                .setParameterExceptionHandler(new UsageErrorHandler())
                .setExecutionExceptionHandler(new FailureHandler());
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, stream.charset()), false);
    }

    /**
     * Best effort: the JDK cannot ask about stderr itself. A console means stdin and stdout are a terminal,
     * which is almost always true of stderr too; on JDK 22+ {@code System.console()} exists even when
     * redirected, so {@code Console.isTerminal()} is asked as well. {@code TERM=dumb} turns redrawing off.
     */
    @SuppressWarnings("SystemConsoleNull") // null is possible on JDK 21 (our --release); 22+ asks isTerminal()
    private static boolean stderrIsTerminal(EnvLookup env) {
        if ("dumb".equals(env.get("TERM"))) return false;
        Console console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // JDK 21: console() is null unless attached to a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
