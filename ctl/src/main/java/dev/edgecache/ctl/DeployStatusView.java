package dev.edgecache.ctl;

/** One deploy's status as {@code key  value} lines, for {@code ctl deploys ID}. */
final class DeployStatusView {
    private DeployStatusView() {}

    static String render(DeployStatus status) {
        TextTable table = TextTable.of()
                .row("deploy", status.id())
                .row("state", status.state())
                .row("rendered", status.done() + "/" + status.total())
                .row("failures", Integer.toString(status.failures()));
        if (status.reason() != null) table.row("reason", status.reason());
        StringBuilder text = new StringBuilder(table.render());
        if (!status.errors().isEmpty()) {
            TextTable failed = TextTable.indented("  ");
            status.errors().forEach(page -> failed.row(page.url(), page.reason()));
            text.append("failed pages:\n").append(failed.render());
        }
        return text.toString();
    }
}
