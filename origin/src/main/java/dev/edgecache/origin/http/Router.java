package dev.edgecache.origin.http;

import dev.edgecache.common.route.RoutePattern;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Dispatches by method and path pattern (the edge's {@link RoutePattern} syntax), first match wins. A path that
 * matches with another method gets 405 and {@code Allow}; a path that matches nothing goes to the fallback.
 * {@code HEAD} is served by {@code GET} routes. Built once at start-up, then read-only and thread-safe.
 */
public final class Router implements Handler {
    private record Route(String method, RoutePattern pattern, RouteHandler handler) {}

    private final List<Route> routes = new ArrayList<>();
    private final Handler fallback;

    public Router(Handler fallback) {
        this.fallback = fallback;
    }

    public Router get(String pattern, RouteHandler handler) {
        return add("GET", pattern, handler);
    }

    public Router post(String pattern, RouteHandler handler) {
        return add("POST", pattern, handler);
    }

    public Router put(String pattern, RouteHandler handler) {
        return add("PUT", pattern, handler);
    }

    public Router delete(String pattern, RouteHandler handler) {
        return add("DELETE", pattern, handler);
    }

    public Router add(String method, String pattern, RouteHandler handler) {
        routes.add(new Route(method, RoutePattern.parse(pattern), handler));
        return this;
    }

    @Override
    public Response handle(Request request) {
        String method = request.method().equals("HEAD") ? "GET" : request.method();
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Optional<Map<String, String>> vars = route.pattern().match(request.path());
            if (vars.isEmpty()) continue;
            if (route.method().equals(method)) return route.handler().handle(request, vars.get());
            allowed.add(route.method());
        }
        if (allowed.isEmpty()) return fallback.handle(request);
        if (allowed.contains("GET")) allowed.add("HEAD");
        return Response.text(405, "method not allowed").withHeader("Allow", String.join(", ", allowed));
    }
}
