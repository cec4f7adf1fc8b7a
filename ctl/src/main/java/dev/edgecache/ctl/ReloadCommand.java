package dev.edgecache.ctl;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code ctl reload}: {@code POST /reload}, re-reading the edge's config file. The routes change at once; the answer
 * names the other sections that differ and need a restart. A bad file is refused (exit 1 with the edge's
 * {@code file:line:column key: message}) and the old routes stay.
 */
@Command(
        name = "reload",
        description = "Re-read the edge's config file: routes change at once; other changed sections are listed"
                + " (they need a restart). A bad file is refused and the running routes stay.")
final class ReloadCommand extends AdminCommand {
    /** The answer of {@code POST /reload}. */
    record Reloaded(
            int routes, @JsonProperty("restart-needed-for") List<String> restartNeededFor) {}

    ReloadCommand(CtlContext ctx) {
        super(ctx);
    }

    @Override
    int call(AdminClient admin) {
        AdminAnswer answer = admin.post("/reload", Json.object());
        if (json()) {
            printRaw(answer);
            return ExitCodes.OK;
        }
        Reloaded r = answer.as(Reloaded.class);
        ctx.out().println("reloaded: " + Plural.of(r.routes(), "route"));
        if (!r.restartNeededFor().isEmpty()) {
            ctx.out().println("changed, needs a restart: " + String.join(", ", r.restartNeededFor()));
        }
        return ExitCodes.OK;
    }
}
