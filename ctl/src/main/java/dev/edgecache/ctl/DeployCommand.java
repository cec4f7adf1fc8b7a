package dev.edgecache.ctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ctl deploy}: {@code POST /deploys}, then (unless {@code --no-wait}) watches the render with a progress
 * line and exits non-zero if the deploy does not end active.
 */
@Command(
        name = "deploy",
        sortOptions = false,
        description = "Render the critical pages into a new deploy, then activate it; shows progress until done.")
final class DeployCommand extends AdminCommand {
    static final String DEFAULT_POLL_INTERVAL = "500ms";

    /** The critical pages come either from the command line or from a URL on the origin. */
    static final class CriticalPages {
        @Option(names = "--critical", paramLabel = "PATH", description = "A critical page to render (repeatable).")
        List<String> paths = List.of();

        @Option(
                names = "--critical-from",
                paramLabel = "URL",
                description = "An origin URL answering a JSON list of paths, e.g. /_edge/critical?limit=50.")
        @Nullable
        String from;
    }

    @Option(names = "--id", required = true, paramLabel = "ID", description = "The new deploy's id, e.g. v2.")
    String id = "";

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Critical pages (one of):%n")
    CriticalPages pages = new CriticalPages();

    @Option(
            names = "--no-wait",
            description = "Start the deploy and return at once; follow it with 'ctl deploys ID --wait'.")
    boolean noWait;

    @Option(
            names = "--poll-interval",
            paramLabel = "DURATION",
            defaultValue = DEFAULT_POLL_INTERVAL,
            converter = DurationConverter.class,
            description = "How often to ask for progress (default: ${DEFAULT-VALUE}).")
    Duration pollInterval = Duration.ofMillis(500);

    DeployCommand(CtlContext ctx) {
        super(ctx);
    }

    ObjectNode body() {
        ObjectNode body = Json.object().put("id", id);
        if (pages.from != null) {
            body.put("critical-from", pages.from);
        } else {
            pages.paths.forEach(body.putArray("critical")::add);
        }
        return body;
    }

    @Override
    int call(AdminClient admin) {
        AdminAnswer started = admin.post("/deploys", body());
        if (noWait) {
            if (json()) {
                printRaw(started);
            } else {
                DeployStatus status = started.as(DeployStatus.class);
                ctx.out()
                        .println("deploy " + status.id() + " started: " + status.state() + " " + status.done() + "/"
                                + status.total() + "; follow it with: ctl deploys " + status.id() + " --wait");
            }
            return ExitCodes.OK;
        }
        ProgressReporter progress = new ProgressReporter(ctx.err(), ctx.stderrIsTerminal());
        AdminAnswer last = new DeployWatcher(admin, pollInterval, progress).watch(id, started);
        return DeployReport.end(last, json(), ctx);
    }
}
