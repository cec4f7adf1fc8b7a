package dev.edgecache.ctl;

import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code ctl top} (alias {@code stats}): a live view of the edge like {@code varnishstat}, computed from two
 * readings of {@code GET /metrics} (Prometheus text) one interval apart: requests per second, hit ratio overall
 * and by route, origin rate, errors and latency, purges, what the stores hold. On a terminal the screen is
 * redrawn in place; otherwise (a pipe, a file) each screen is printed after the last. {@code --once} prints one
 * screen and exits, for scripts.
 */
@Command(
        name = "top",
        aliases = "stats",
        sortOptions = false,
        description = "Live view of the edge from GET /metrics: requests/s, hit ratio by route, origin latency "
                + "and errors, purges (like varnishstat). Ctrl-C stops it.")
final class TopCommand extends AdminCommand {
    /** Cursor home, then what was drawn; each line is cleared to its end and the screen below the last one. */
    private static final String HOME = "\033[H";

    private static final String CLEAR_LINE_END = "\033[K";
    private static final String CLEAR_BELOW = "\033[J";

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            defaultValue = "1s",
            converter = DurationConverter.class,
            description = "Time between two readings, like 1s or 500ms (default: ${DEFAULT-VALUE}).")
    Duration interval = Duration.ofSeconds(1);

    @Option(names = "--once", description = "Print one screen (two readings --interval apart) and exit.")
    boolean once;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N screens (default: until Ctrl-C).")
    int count;

    @Option(
            names = "--routes",
            paramLabel = "N",
            defaultValue = "20",
            description = "Show at most N routes, busiest first (default: ${DEFAULT-VALUE}).")
    int maxRoutes = 20;

    TopCommand(CtlContext ctx) {
        super(ctx);
    }

    @Override
    void validate() {
        if (interval.compareTo(Duration.ofMillis(10)) < 0) {
            throw usage("--interval must be at least 10ms, got " + interval.toMillis() + "ms");
        }
        if (count < 0) throw usage("--count must not be negative, got " + count);
        if (maxRoutes < 1) throw usage("--routes must be at least 1, got " + maxRoutes);
        if (json()) throw usage("top has no --json: read GET /metrics (Prometheus text) directly");
    }

    private ParameterException usage(String message) {
        return new ParameterException(options.mixee.commandLine(), message);
    }

    @Override
    int call(AdminClient admin) {
        Pacer pacer = ctx.pacer();
        int screens = once ? 1 : count;
        boolean redraw = !once && ctx.stderrIsTerminal();
        String url = admin.baseUrl();
        Scrape before = scrape(admin);
        long beforeNanos = pacer.nanoTime();
        for (int shown = 0; screens == 0 || shown < screens; shown++) {
            pause(pacer);
            Scrape after = scrape(admin);
            long afterNanos = pacer.nanoTime();
            double seconds = Math.max(afterNanos - beforeNanos, 1) / 1e9;
            String screen = TopView.render(url, interval, EdgeRates.between(before, after, seconds), maxRoutes);
            if (redraw) {
                ctx.out().print(HOME + screen.replace("\n", CLEAR_LINE_END + "\n") + CLEAR_BELOW);
            } else {
                if (shown > 0) ctx.out().println();
                ctx.out().print(screen);
            }
            ctx.out().flush();
            before = after;
            beforeNanos = afterNanos;
        }
        return ExitCodes.OK;
    }

    private static Scrape scrape(AdminClient admin) {
        return Scrape.parse(admin.get("/metrics").body());
    }

    private void pause(Pacer pacer) {
        try {
            pacer.sleep(interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException(ExitCodes.FAILED, "interrupted", e);
        }
    }
}
