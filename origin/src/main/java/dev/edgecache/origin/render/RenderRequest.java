package dev.edgecache.origin.render;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A page request handed to a {@link Renderer}.
 *
 * @param path the decoded request path, e.g. {@code /alice/hello}
 * @param pathVariables the {@code {name}} segments of the route pattern that matched; for a pattern ending in
 *     {@code /**}, the part of the path below the prefix is under {@value #REST} (empty string for the prefix itself)
 * @param query decoded query parameters
 * @param user the signed-in username, if the request carried a valid session (never for requests through the edge
 *     on cacheable routes, which arrive without cookies)
 */
public record RenderRequest(
        String path, Map<String, String> pathVariables, Map<String, List<String>> query, Optional<String> user) {

    public static final String REST = "**";

    public RenderRequest {
        pathVariables = Map.copyOf(pathVariables);
        query = Map.copyOf(query);
    }

    /** An anonymous request for {@code path} with no variables or query (tests, examples). */
    public static RenderRequest of(String path) {
        return new RenderRequest(path, Map.of(), Map.of(), Optional.empty());
    }

    public Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
