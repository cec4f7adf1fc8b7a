package dev.edgecache.ctl;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * Base of the subcommands that call the admin port: resolves the {@link GlobalOptions}, owns the
 * {@link AdminClient} for the run, and prints raw JSON under {@code --json}. Subclasses only say which call to
 * make and how to show its answer.
 */
abstract class AdminCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions options = new GlobalOptions();

    final CtlContext ctx;

    AdminCommand(CtlContext ctx) {
        this.ctx = requireNonNull(ctx, "ctx");
    }

    @Override
    public final Integer call() {
        validate();
        try (AdminClient admin = options.target(ctx.env()).open()) {
            return call(admin);
        }
    }

    /** Checks option combinations picocli cannot express; throws a {@code ParameterException} (exit 2). */
    void validate() {}

    /** Makes the call(s) and prints the result; returns the exit code. */
    abstract int call(AdminClient admin);

    boolean json() {
        return options.json;
    }

    /** {@code --json}: the server's answer, byte for byte apart from surrounding whitespace. */
    void printRaw(AdminAnswer answer) {
        ctx.out().println(answer.body().strip());
    }
}
