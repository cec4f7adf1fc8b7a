package dev.edgecache.ctl;

import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ctl purge}: {@code POST /purge} by URL, prefix, tag or everything. */
@Command(
        name = "purge",
        sortOptions = false,
        description = "Remove (or with --soft, mark stale) cached pages by URL, prefix, tag, or all of them.")
final class PurgeCommand extends AdminCommand {
    /** Exactly one kind per call, as the admin API takes one selector. */
    static final class Selection {
        @Option(names = "--url", paramLabel = "PATH", description = "A page to purge (repeatable).")
        List<String> urls = List.of();

        @Option(names = "--prefix", paramLabel = "PREFIX", description = "Purge every page under PREFIX (repeatable).")
        List<String> prefixes = List.of();

        @Option(names = "--tag", paramLabel = "TAG", description = "Purge every page with TAG (repeatable).")
        List<String> tags = List.of();

        @Option(names = "--all", description = "Purge everything.")
        boolean all;
    }

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "What to purge (one kind, repeatable):%n")
    Selection selection = new Selection();

    @Option(
            names = "--soft",
            description = "Mark stale instead of deleting: readers get the old page while one refresh runs.")
    boolean soft;

    @Option(names = "--dry-run", description = "List the matching keys without touching them.")
    boolean dryRun;

    PurgeCommand(CtlContext ctx) {
        super(ctx);
    }

    PurgeRequest request() {
        if (selection.all) return PurgeRequest.all(soft, dryRun);
        if (!selection.urls.isEmpty()) return new PurgeRequest(PurgeRequest.Kind.URLS, selection.urls, soft, dryRun);
        if (!selection.prefixes.isEmpty()) {
            return new PurgeRequest(PurgeRequest.Kind.PREFIXES, selection.prefixes, soft, dryRun);
        }
        return new PurgeRequest(PurgeRequest.Kind.TAGS, selection.tags, soft, dryRun);
    }

    @Override
    int call(AdminClient admin) {
        PurgeRequest request = request();
        AdminAnswer answer = admin.post("/purge", request.toJson());
        if (json()) {
            printRaw(answer);
        } else {
            ctx.out().println(answer.as(PurgeResult.class).describe(request));
        }
        return ExitCodes.OK;
    }
}
