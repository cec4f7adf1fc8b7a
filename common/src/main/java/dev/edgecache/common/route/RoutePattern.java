package dev.edgecache.common.route;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A compiled route pattern: an exact path ({@code /login}), named segments that each match one non-empty
 * path segment ({@code /{user}/posts}), and an optional trailing {@code /**} that matches the prefix and
 * everything below it ({@code /assets/**} matches {@code /assets} and {@code /assets/a/b.css}).
 *
 * <p>Immutable and thread-safe. Matching is on the normalised path (see {@code CacheKey}), never the raw one.
 */
public final class RoutePattern {
    private final String text;
    private final List<String> segments; // literal, or "{name}"
    private final boolean prefix;

    private RoutePattern(String text, List<String> segments, boolean prefix) {
        this.text = text;
        this.segments = segments;
        this.prefix = prefix;
    }

    /** @throws IllegalArgumentException naming what is wrong with {@code text} */
    public static RoutePattern parse(String text) {
        if (!text.startsWith("/"))
            throw new IllegalArgumentException("pattern must start with '/', got '" + text + "'");
        boolean prefix = text.equals("/**") || text.endsWith("/**");
        String body = prefix ? text.substring(0, text.length() - 3) : text;
        List<String> segments = new ArrayList<>();
        if (!body.isEmpty() && !body.equals("/")) {
            for (String s : body.substring(1).split("/", -1)) {
                if (s.isEmpty()) throw new IllegalArgumentException("empty segment in pattern '" + text + "'");
                if (s.contains("*")) {
                    throw new IllegalArgumentException("'**' is only allowed as the last segment, in '" + text + "'");
                }
                boolean variable = s.startsWith("{") && s.endsWith("}");
                if (variable && !s.substring(1, s.length() - 1).matches("[A-Za-z][A-Za-z0-9_-]*")) {
                    throw new IllegalArgumentException("bad segment name " + s + " in '" + text + "'");
                }
                if (!variable && (s.contains("{") || s.contains("}"))) {
                    throw new IllegalArgumentException("a {name} must be a whole segment, in '" + text + "'");
                }
                segments.add(s);
            }
        }
        return new RoutePattern(text, List.copyOf(segments), prefix);
    }

    /** The path variables if {@code path} (normalised, starting with '/', no query) matches. */
    public Optional<Map<String, String>> match(String path) {
        return match(segments(path));
    }

    /** As {@link #match(String)}, on a path already split by {@link #segments}: a route table splits once. */
    public Optional<Map<String, String>> match(List<String> parts) {
        if (!matches(parts)) return Optional.empty();
        Map<String, String> vars = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String want = segments.get(i);
            if (want.startsWith("{")) vars.put(want.substring(1, want.length() - 1), parts.get(i));
        }
        return Optional.of(vars);
    }

    public boolean matches(String path) {
        return matches(segments(path));
    }

    /** Whether the split path matches; allocates nothing (the request path's route lookup). */
    public boolean matches(List<String> parts) {
        if (prefix ? parts.size() < segments.size() : parts.size() != segments.size()) return false;
        for (int i = 0; i < segments.size(); i++) {
            String want = segments.get(i);
            String got = parts.get(i);
            if (want.startsWith("{") ? got.isEmpty() : !want.equals(got)) return false;
        }
        return true;
    }

    /**
     * Whether every path {@code other} matches is matched by this pattern too: placed first in a route table, this
     * pattern leaves {@code other} nothing to match (a shadowed route).
     */
    public boolean covers(RoutePattern other) {
        if (other.prefix && !prefix) return false; // other matches paths of any length, this one a fixed length
        if (prefix ? segments.size() > other.segments.size() : segments.size() != other.segments.size()) return false;
        for (int i = 0; i < segments.size(); i++) {
            String mine = segments.get(i);
            if (!mine.startsWith("{") && !mine.equals(other.segments.get(i))) return false;
        }
        return true;
    }

    /** The segments of a normalised path; a trailing slash is ignored. */
    public static List<String> segments(String path) {
        if (path.equals("/") || path.isEmpty()) return List.of();
        String p = path.endsWith("/") ? path.substring(1, path.length() - 1) : path.substring(1);
        return List.of(p.split("/", -1));
    }

    @Override
    public String toString() {
        return text;
    }
}
