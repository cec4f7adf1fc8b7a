package dev.edgecache.ctl;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;

/**
 * {@code ctl reload}: {@code POST /reload}, re-reading the edge's config file. The routes change at once, and so do
 * the TLS certificates (a line each says whether they were reloaded, unchanged or refused, the last keeping the
 * running ones); the answer names the other sections that differ and need a restart. A bad file is refused (exit 1 with the edge's
 * {@code file:line:column key: message}) and the old routes stay.
 */
@Command(
        name = "reload",
        description = "Re-read the edge's config file: routes and TLS certificates change at once; other changed"
                + " sections are listed (they need a restart). A bad file is refused and the running routes stay.")
final class ReloadCommand extends AdminCommand {
    /**
     * The answer of {@code POST /reload}; {@code tls} and {@code admin-tls} ({@code reloaded}, {@code unchanged} or
     * {@code refused: <reason>}) only when that port speaks TLS.
     */
    record Reloaded(
            int routes,
            @JsonProperty("restart-needed-for") List<String> restartNeededFor,
            @JsonProperty("tls") @Nullable String tls,
            @JsonProperty("admin-tls") @Nullable String adminTls) {}

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
        if (r.tls() != null) ctx.out().println("tls certificates: " + r.tls());
        if (r.adminTls() != null) ctx.out().println("admin tls certificates: " + r.adminTls());
        if (!r.restartNeededFor().isEmpty()) {
            ctx.out().println("changed, needs a restart: " + String.join(", ", r.restartNeededFor()));
        }
        return ExitCodes.OK;
    }
}
