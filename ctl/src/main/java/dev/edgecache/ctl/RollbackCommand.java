package dev.edgecache.ctl;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ctl rollback v1}: {@code POST /deploys/v1/activate}, atomically serving a retained deploy again. */
@Command(
        name = "rollback",
        aliases = "activate",
        description = "Activate a retained deploy (rollback or roll forward); its pages are served at once.")
final class RollbackCommand extends AdminCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The retained deploy to activate, e.g. v1.")
    String id = "";

    RollbackCommand(CtlContext ctx) {
        super(ctx);
    }

    @Override
    int call(AdminClient admin) {
        // an empty JSON object rather than no body: valid for a server that parses every POST body
        AdminAnswer answer = admin.post("/deploys/" + UrlParts.segment(id) + "/activate", Json.object());
        if (json()) {
            printRaw(answer);
        } else {
            DeployStatus status = answer.as(DeployStatus.class);
            ctx.out().println("deploy " + status.id() + " is " + status.state());
        }
        return ExitCodes.OK;
    }
}
