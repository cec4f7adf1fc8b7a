package dev.edgecache.ctl;

import dev.edgecache.common.config.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The text of one {@code ctl top} screen: a summary block (requests, origin, purges, stores, process) and a table
 * of the busiest routes. A plain function of its inputs; the command decides how to put it on the terminal.
 */
final class TopView {
    private TopView() {}

    static String render(String adminUrl, Duration interval, EdgeRates r, int maxRoutes) {
        StringBuilder text = new StringBuilder();
        text.append("edge top  ")
                .append(adminUrl)
                .append("  deploy ")
                .append(r.activeDeploy() == null ? "-" : r.activeDeploy())
                .append("  every ")
                .append(Durations.format(interval))
                .append(String.format(Locale.ROOT, " (sampled %.2fs apart)%n%n", r.seconds()));

        EdgeRates.Traffic t = r.total();
        EdgeRates.Origin o = r.origin();
        EdgeRates.Purges p = r.purges();
        EdgeRates.Stores s = r.stores();
        line(
                text,
                "requests",
                rate(t.requests()),
                "hit " + percent(t.hitRatio()),
                "memory " + rate(t.of("hit-memory")),
                "disk " + rate(t.of("hit-disk")),
                "stale " + rate(t.of("hit-stale") + t.of("stale-if-error")),
                "miss " + rate(t.of(EdgeRates.MISSES)),
                "pass " + rate(t.of("pass")),
                "errors " + rate(t.of(EdgeRates.ERRORS)),
                "mean " + seconds(t.meanSeconds()));
        line(
                text,
                "origin",
                rate(o.okPerSecond()),
                "errors " + rate(o.errorsPerSecond()),
                "timeouts " + rate(o.timeoutsPerSecond()),
                "held back " + rate(o.heldBackPerSecond()),
                "mean " + seconds(o.meanSeconds()),
                "p50 " + bound(o.p50Seconds()),
                "p99 " + bound(o.p99Seconds()),
                "circuit " + circuit(o.circuit()));
        line(
                text,
                "purges",
                rate(p.callsPerSecond()),
                "total " + count(p.callsTotal()),
                "keys " + rate(p.keysPerSecond()),
                "keys total " + count(p.keysTotal()));
        line(
                text,
                "store",
                "memory " + pages(s.memoryEntries()) + " " + bytes(s.memoryBytes()),
                "disk " + pages(s.diskEntries()) + " " + bytes(s.diskBytes()));
        line(text, "process", "heap " + bytes(r.heapBytes()), "cpu " + percent(r.cpu()));
        text.append('\n');
        TextTable routes = TextTable.of().row("ROUTE", "REQ/S", "HIT", "MISS/S", "PASS/S", "ERR/S", "MEAN");
        List<EdgeRates.Traffic> shown =
                r.routes().subList(0, Math.min(maxRoutes, r.routes().size()));
        for (EdgeRates.Traffic route : shown) {
            routes.row(
                    route.route(),
                    number(route.requests()),
                    percent(route.hitRatio()),
                    number(route.of(EdgeRates.MISSES)),
                    number(route.of("pass")),
                    number(route.of(EdgeRates.ERRORS)),
                    seconds(route.meanSeconds()));
        }
        text.append(routes.render());
        int hidden = r.routes().size() - shown.size();
        if (hidden > 0) text.append("(").append(Plural.of(hidden, "more route")).append(", raise --routes)\n");
        return text.toString();
    }

    /** One summary line: the label in a fixed column, then its items two spaces apart. */
    private static void line(StringBuilder text, String label, String... items) {
        text.append(String.format(Locale.ROOT, "%-9s", label))
                .append(String.join("  ", items))
                .append('\n');
    }

    static String pages(double value) {
        return Double.isNaN(value) ? "- pages" : Plural.of(Math.round(value), "page");
    }

    static String rate(double perSecond) {
        return number(perSecond) + "/s";
    }

    static String number(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static String percent(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }

    static String count(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }

    /** A duration in seconds, in the unit that keeps it short: {@code 0.42ms}, {@code 12.3ms}, {@code 1.25s}. */
    static String seconds(double s) {
        if (Double.isNaN(s)) return "-";
        if (s < 0.001) return String.format(Locale.ROOT, "%.2fms", s * 1000);
        if (s < 1) return String.format(Locale.ROOT, "%.1fms", s * 1000);
        return String.format(Locale.ROOT, "%.2fs", s);
    }

    /** A histogram bucket's upper bound: {@code <=25.0ms}, or {@code >max} above the largest bucket. */
    static String bound(double s) {
        if (Double.isNaN(s)) return "-";
        if (Double.isInfinite(s)) return ">max";
        return "<=" + seconds(s);
    }

    static String bytes(double value) {
        if (Double.isNaN(value)) return "-";
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0
                ? String.format(Locale.ROOT, "%.0f B", value)
                : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static String circuit(int state) {
        return switch (state) {
            case 0 -> "closed";
            case 1 -> "OPEN";
            case 2 -> "half-open";
            default -> "-";
        };
    }
}
