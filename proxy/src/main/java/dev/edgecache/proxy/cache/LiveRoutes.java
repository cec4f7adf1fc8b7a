package dev.edgecache.proxy.cache;

import java.util.function.Supplier;

/** The route table in force; {@code POST /reload} swaps it whole, so a request sees the old or the new table. */
public final class LiveRoutes implements Supplier<RouteTable> {
    private volatile RouteTable current;

    public LiveRoutes(RouteTable initial) {
        this.current = initial;
    }

    @Override
    public RouteTable get() {
        return current;
    }

    public void replace(RouteTable next) {
        current = next;
    }
}
