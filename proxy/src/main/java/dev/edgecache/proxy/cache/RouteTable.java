package dev.edgecache.proxy.cache;

import dev.edgecache.common.config.EdgeConfig;
import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.config.RouteMode;
import dev.edgecache.common.route.RoutePattern;
import java.util.ArrayList;
import java.util.List;

/**
 * The configured routes in order; the first whose pattern matches a normalised path wins, and a path no route
 * matches gets the implicit {@value #DEFAULT_ROUTE_NAME} route in mode pass. Immutable and thread-safe.
 */
public final class RouteTable {
    public static final String DEFAULT_ROUTE_NAME = EdgeConfig.IMPLICIT_ROUTE;

    private final List<Route> routes;
    private final Route fallback;

    public RouteTable(List<RouteConfig> configs) {
        List<Route> compiled = new ArrayList<>(configs.size());
        for (RouteConfig c : configs) compiled.add(new Route(compiled.size(), c, RoutePattern.parse(c.match())));
        this.routes = List.copyOf(compiled);
        this.fallback = new Route(
                compiled.size(),
                new RouteConfig(
                        DEFAULT_ROUTE_NAME,
                        "/**",
                        RouteMode.PASS,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                RoutePattern.parse("/**"));
    }

    public Route match(String path) {
        List<String> segments = RoutePattern.segments(path);
        for (Route r : routes) {
            if (r.pattern().matches(segments)) return r;
        }
        return fallback;
    }

    /** Route names in index order, the default route last: the metrics' route tag values. */
    public List<String> names() {
        List<String> names = new ArrayList<>(routes.size() + 1);
        for (Route r : routes) names.add(r.name());
        names.add(fallback.name());
        return names;
    }
}
