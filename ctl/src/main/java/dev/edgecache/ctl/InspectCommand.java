package dev.edgecache.ctl;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ctl inspect /alice/hello}: {@code GET /keys/info?url=...}, what is stored for one page and why. */
@Command(name = "inspect", description = "Show what is stored for one URL: deploy, state, times, tags, size, ETag.")
final class InspectCommand extends AdminCommand {
    @Parameters(index = "0", paramLabel = "URL", description = "The page's path, e.g. /alice/hello.")
    String url = "";

    @Option(names = "--deploy", paramLabel = "ID", description = "Look in this deploy instead of the active one.")
    @Nullable
    String deploy;

    InspectCommand(CtlContext ctx) {
        super(ctx);
    }

    @Override
    int call(AdminClient admin) {
        AdminAnswer answer = admin.get("/keys/info?url=" + UrlParts.queryValue(url) + DeployParam.of(deploy));
        if (json()) printRaw(answer);
        else ctx.out().print(KeyInfoView.render(answer.as(KeyInfo.class)));
        return ExitCodes.OK;
    }
}
