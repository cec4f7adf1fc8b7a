package dev.edgecache.proxy.cache;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** The route table in force; {@code POST /reload} swaps it whole, so a request sees the old or the new table. */
public final class LiveRoutes implements Supplier<RouteTable> {
    private final AtomicReference<RouteTable> current;

    public LiveRoutes(RouteTable initial) {
        this.current = new AtomicReference<>(initial);
    }

    @Override
    public RouteTable get() {
        return current.get();
    }

    public void replace(RouteTable next) {
        current.set(next);
    }
}
