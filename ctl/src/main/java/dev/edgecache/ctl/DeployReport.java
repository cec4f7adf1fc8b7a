package dev.edgecache.ctl;

/**
 * The end of a watched deploy in words: the result on stdout, failed pages and the reason on stderr, and the
 * exit code ({@link ExitCodes#DEPLOY_NOT_ACTIVE} unless the deploy is active, so scripts can stop a rollout).
 */
final class DeployReport {
    private DeployReport() {}

    /** Reports the watch's last answer (raw under {@code --json}) and returns the exit code. */
    static int end(AdminAnswer last, boolean json, CtlContext ctx) {
        DeployStatus status = last.as(DeployStatus.class);
        if (json) {
            ctx.out().println(last.body().strip());
            return exitCode(status);
        }
        return print(status, ctx);
    }

    static int exitCode(DeployStatus status) {
        return status.active() ? ExitCodes.OK : ExitCodes.DEPLOY_NOT_ACTIVE;
    }

    static int print(DeployStatus status, CtlContext ctx) {
        String pages = status.done() + "/" + status.total() + " critical pages rendered, "
                + Plural.of(status.failures(), "failure");
        if (status.active()) {
            ctx.out().println("deploy " + status.id() + " is active: " + pages);
        } else {
            ctx.err()
                    .println("deploy " + status.id() + " did not become active (state " + status.state() + "): "
                            + pages);
            if (status.reason() != null) ctx.err().println("reason: " + status.reason());
        }
        printFailedPages(status, ctx);
        return exitCode(status);
    }

    /** Also after an active deploy: a page under the failure threshold still needs a look. */
    static void printFailedPages(DeployStatus status, CtlContext ctx) {
        if (status.errors().isEmpty()) return;
        ctx.err().println("failed pages:");
        TextTable table = TextTable.indented("  ");
        status.errors().forEach(page -> table.row(page.url(), page.reason()));
        ctx.err().print(table.render());
    }
}
