package dev.edgecache.ctl;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code ctl keys --prefix /alice/}: {@code GET /keys}. Keys go to stdout one per line so they pipe into other
 * tools; the summary (deploy, count, truncation) goes to stderr.
 */
@Command(name = "keys", sortOptions = false, description = "List stored keys under a prefix, one per line.")
final class KeysCommand extends AdminCommand {
    static final int DEFAULT_LIMIT = 100;

    @Option(
            names = "--prefix",
            paramLabel = "PREFIX",
            defaultValue = "/",
            description = "Only keys starting with PREFIX (default: ${DEFAULT-VALUE}).")
    String prefix = "/";

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "" + DEFAULT_LIMIT,
            description = "At most N keys (default: ${DEFAULT-VALUE}).")
    int limit = DEFAULT_LIMIT;

    @Option(names = "--deploy", paramLabel = "ID", description = "List this deploy's keys instead of the active one's.")
    @Nullable
    String deploy;

    KeysCommand(CtlContext ctx) {
        super(ctx);
    }

    @Override
    void validate() {
        if (limit <= 0)
            throw new ParameterException(options.mixee.commandLine(), "--limit must be positive, got " + limit);
    }

    @Override
    int call(AdminClient admin) {
        AdminAnswer answer =
                admin.get("/keys?prefix=" + UrlParts.queryValue(prefix) + "&limit=" + limit + DeployParam.of(deploy));
        if (json()) {
            printRaw(answer);
            return ExitCodes.OK;
        }
        KeyList list = answer.as(KeyList.class);
        list.keys().forEach(ctx.out()::println);
        String deploy = list.deploy() == null ? "" : " in deploy " + list.deploy();
        ctx.err()
                .println(Plural.of(list.keys().size(), "key") + " under " + prefix + deploy
                        + (list.truncated() ? "; more exist, raise --limit" : ""));
        return ExitCodes.OK;
    }
}
