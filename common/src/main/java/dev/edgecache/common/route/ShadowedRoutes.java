package dev.edgecache.common.route;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds routes that can never match because an earlier route matches every path they do (first match wins), so the
 * edge can warn at start and on {@code --check} (issue 10). Stateless.
 */
public final class ShadowedRoutes {
    private ShadowedRoutes() {}

    /** One warning per shadowed route, e.g. {@code routes[3] /a/{b} can never match: routes[1] /a/** comes first}. */
    public static List<String> warnings(List<String> matchPatterns) {
        List<RoutePattern> patterns =
                matchPatterns.stream().map(RoutePattern::parse).toList();
        List<String> out = new ArrayList<>();
        for (int later = 0; later < patterns.size(); later++) {
            for (int earlier = 0; earlier < later; earlier++) {
                if (patterns.get(earlier).covers(patterns.get(later))) {
                    out.add("routes[" + later + "] " + matchPatterns.get(later) + " can never match: routes["
                            + earlier + "] " + matchPatterns.get(earlier) + " comes first and matches every path it"
                            + " does");
                    break;
                }
            }
        }
        return out;
    }
}
