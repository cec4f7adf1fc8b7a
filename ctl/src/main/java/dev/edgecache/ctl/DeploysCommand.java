package dev.edgecache.ctl;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code ctl deploys}: the retained deploys as a table ({@code GET /deploys}); with an id, that deploy's
 * progress ({@code GET /deploys/{id}}), and with {@code --wait} follows it like {@code ctl deploy} does.
 */
@Command(
        name = "deploys",
        sortOptions = false,
        description = "List the retained deploys, or show one deploy's progress (--wait: until it ends).")
final class DeploysCommand extends AdminCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "Show this deploy's progress.")
    @Nullable
    String id;

    @Option(names = "--wait", description = "With ID: follow the deploy until it ends; exit non-zero unless active.")
    boolean wait;

    @Option(
            names = "--poll-interval",
            paramLabel = "DURATION",
            defaultValue = DeployCommand.DEFAULT_POLL_INTERVAL,
            converter = DurationConverter.class,
            description = "How often --wait asks (default: ${DEFAULT-VALUE}).")
    Duration pollInterval = Duration.ofMillis(500);

    DeploysCommand(CtlContext ctx) {
        super(ctx);
    }

    @Override
    void validate() {
        if (wait && id == null) throw new ParameterException(options.mixee.commandLine(), "--wait needs a deploy ID");
    }

    @Override
    int call(AdminClient admin) {
        if (id == null) {
            AdminAnswer answer = admin.get("/deploys");
            if (json()) printRaw(answer);
            else ctx.out().print(answer.as(DeployList.class).table());
            return ExitCodes.OK;
        }
        AdminAnswer answer = admin.get("/deploys/" + UrlParts.segment(id));
        if (!wait) {
            if (json()) printRaw(answer);
            else ctx.out().print(DeployStatusView.render(answer.as(DeployStatus.class)));
            return ExitCodes.OK;
        }
        ProgressReporter progress = new ProgressReporter(ctx.err(), ctx.stderrIsTerminal());
        AdminAnswer last = new DeployWatcher(admin, pollInterval, progress).watch(id, answer);
        return DeployReport.end(last, json(), ctx);
    }
}
