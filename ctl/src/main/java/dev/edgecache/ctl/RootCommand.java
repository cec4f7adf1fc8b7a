package dev.edgecache.ctl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ctl} itself: only dispatches to its subcommands; without one it is a usage error. */
@Command(
        name = "ctl",
        synopsisSubcommandLabel = "COMMAND",
        description = "Talk to the edge's admin port: purge, deploy, roll back, inspect.",
        footer = {
            "",
            "Admin URL and token: --admin-url/--token, or EDGE_ADMIN_URL/EDGE_ADMIN_TOKEN.",
            "Exit codes: 0 ok, 1 admin error, 2 usage, 3 admin port unreachable, 4 token refused, "
                    + "5 deploy not active."
        })
final class RootCommand implements Callable<Integer> {
    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    // injected by picocli before call()
    @Spec
    CommandSpec spec = CommandSpec.create();

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(),
                "Missing command: one of " + spec.subcommands().keySet());
    }
}
