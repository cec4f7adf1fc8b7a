package dev.edgecache.ctl;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception from a subcommand into one line on stderr and an exit code. {@link AdminException}s are
 * expected and carry their code; anything else is a bug, reported by type and message without a stack trace
 * (which would bury the one line an operator needs).
 */
final class FailureHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        if (e instanceof AdminException admin) {
            command.getErr().println("ctl: " + admin.getMessage());
            command.getErr().flush();
            return admin.exitCode();
        }
        command.getErr().println("ctl: unexpected error: " + e);
        command.getErr().flush();
        return ExitCodes.FAILED;
    }
}
