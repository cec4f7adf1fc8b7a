package dev.edgecache.proxy.cache;

import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.config.RouteMode;
import dev.edgecache.common.route.RoutePattern;

/**
 * A compiled route: its config, its pattern, its position in the table (the metrics index) and how its mode stores.
 *
 * @param index position in the route table; the implicit default route is last
 * @param storage the rules of the route's mode, chosen once here
 */
public record Route(int index, RouteConfig config, RoutePattern pattern, StoragePolicy storage) {
    public Route(int index, RouteConfig config, RoutePattern pattern) {
        this(index, config, pattern, StoragePolicy.of(config.mode()));
    }

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
