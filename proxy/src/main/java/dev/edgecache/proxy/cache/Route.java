package dev.edgecache.proxy.cache;

import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.config.RouteMode;
import dev.edgecache.common.route.RoutePattern;

/**
 * A compiled route: its config, its pattern and its position in the table (the metrics index).
 *
 * @param index position in the route table; the implicit default route is last
 */
public record Route(int index, RouteConfig config, RoutePattern pattern) {
    public String name() {
        return config.name();
    }

    public RouteMode mode() {
        return config.mode();
    }

    public boolean isCacheable() {
        return config.mode().isCacheable();
    }
}
