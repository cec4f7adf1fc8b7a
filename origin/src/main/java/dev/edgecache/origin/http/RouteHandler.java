package dev.edgecache.origin.http;

import java.util.Map;

/** A {@link Handler} that also receives the path variables of the route that matched. */
@FunctionalInterface
public interface RouteHandler {
    Response handle(Request request, Map<String, String> pathVariables);
}
