package dev.edgecache.ctl;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Parses a command line without running it, to check what a subcommand made of its arguments. */
final class Parsing {
    private Parsing() {}

    static <T> T command(Class<T> type, String... args) {
        CtlContext ctx = new CtlContext(
                name -> null, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false);
        CommandLine.ParseResult parsed = EdgeCtl.commandLine(ctx).parseArgs(args);
        return type.cast(parsed.subcommand().commandSpec().userObject());
    }
}
