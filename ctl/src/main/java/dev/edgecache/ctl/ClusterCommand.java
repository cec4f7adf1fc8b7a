package dev.edgecache.ctl;

import picocli.CommandLine.Command;

/** {@code ctl cluster}: the cluster's live members ({@code GET /cluster}) as a table. */
@Command(
        name = "cluster",
        sortOptions = false,
        description = "List the cluster's live members: peer address, deploy, purge-log position, lag, last seen.")
final class ClusterCommand extends AdminCommand {
    ClusterCommand(CtlContext ctx) {
        super(ctx);
    }

    @Override
    int call(AdminClient admin) {
        AdminAnswer answer = admin.get("/cluster");
        if (json()) printRaw(answer);
        else ctx.out().print(answer.as(ClusterView.class).table());
        return ExitCodes.OK;
    }
}
