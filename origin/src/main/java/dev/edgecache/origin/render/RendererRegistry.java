package dev.edgecache.origin.render;

import dev.edgecache.common.route.RoutePattern;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The renderers mounted on routes, in config order (first match wins). Providers are found with {@link
 * ServiceLoader}; each renderer name used in the config is created once. Built at start-up, then immutable and
 * thread-safe.
 */
public final class RendererRegistry {
    private record Mount(RoutePattern pattern, String text, String name, Renderer renderer) {}

    /** A renderer chosen for a path, with the variables the request will carry. */
    public record Match(String rendererName, Renderer renderer, Map<String, String> pathVariables) {}

    private final List<Mount> mounts;

    private RendererRegistry(List<Mount> mounts) {
        this.mounts = List.copyOf(mounts);
    }

    /**
     * Creates the renderers named in {@code routes} (pattern → name) with the providers on the class path.
     *
     * @param contexts makes the context for a renderer name
     * @throws IllegalArgumentException for an unknown renderer name, naming the known ones
     */
    public static RendererRegistry load(Map<String, String> routes, Function<String, RendererContext> contexts) {
        return of(routes, discover(), contexts);
    }

    /** Fails like {@link #load} for an unknown renderer name, without creating anything (checked before start-up). */
    public static void checkNames(Map<String, String> routes) {
        Map<String, RendererProvider> providers = discover();
        routes.forEach((route, name) -> requireKnown(providers, route, name));
    }

    private static Map<String, RendererProvider> discover() {
        Map<String, RendererProvider> providers = new HashMap<>();
        for (RendererProvider p : ServiceLoader.load(RendererProvider.class, RendererRegistry.class.getClassLoader())) {
            providers.putIfAbsent(p.name(), p);
        }
        return providers;
    }

    private static RendererProvider requireKnown(Map<String, RendererProvider> providers, String route, String name) {
        RendererProvider provider = providers.get(name);
        if (provider == null) {
            throw new IllegalArgumentException("unknown renderer '" + name + "' for route " + route + " (available: "
                    + String.join(", ", new TreeSet<>(providers.keySet())) + ")");
        }
        return provider;
    }

    /** Same as {@link #load} with an explicit set of providers (tests). */
    public static RendererRegistry of(
            Map<String, String> routes,
            Map<String, RendererProvider> providers,
            Function<String, RendererContext> contexts) {
        Map<String, Renderer> created = new HashMap<>();
        List<Mount> mounts = new ArrayList<>();
        for (Map.Entry<String, String> route : routes.entrySet()) {
            String name = route.getValue();
            RendererProvider provider = requireKnown(providers, route.getKey(), name);
            Renderer renderer = created.computeIfAbsent(name, n -> provider.create(contexts.apply(n)));
            mounts.add(new Mount(RoutePattern.parse(route.getKey()), route.getKey(), name, renderer));
        }
        return new RendererRegistry(mounts);
    }

    /** The first mount whose pattern matches {@code path}. */
    public Optional<Match> resolve(String path) {
        for (Mount m : mounts) {
            Optional<Map<String, String>> vars = m.pattern().match(path);
            if (vars.isEmpty()) continue;
            Map<String, String> all = new LinkedHashMap<>(vars.get());
            if (m.text().endsWith("/**")) all.put(RenderRequest.REST, rest(m.text(), path));
            return Optional.of(new Match(m.name(), m.renderer(), all));
        }
        return Optional.empty();
    }

    /** First path segments taken by renderers other than {@code except} (reserved as usernames). */
    public Set<String> firstSegmentsNotRenderedBy(String except) {
        Set<String> out = new LinkedHashSet<>();
        for (Mount m : mounts) {
            if (m.name().equals(except)) continue;
            String[] parts = m.text().split("/");
            if (parts.length > 1 && !parts[1].startsWith("{") && !parts[1].equals("**")) out.add(parts[1]);
        }
        return out;
    }

    /** {@code pattern->name} pairs for the start-up log. */
    public String describe() {
        return String.join(
                ",", mounts.stream().map(m -> m.text() + "->" + m.name()).toList());
    }

    private static String rest(String pattern, String path) {
        int literalSegments = pattern.equals("/**")
                ? 0
                : pattern.substring(1, pattern.length() - 3).split("/").length;
        String[] parts = path.startsWith("/") ? path.substring(1).split("/", -1) : path.split("/", -1);
        if (path.equals("/")) parts = new String[0];
        StringBuilder sb = new StringBuilder();
        for (int i = literalSegments; i < parts.length; i++) {
            if (sb.length() > 0) sb.append('/');
            sb.append(parts[i]);
        }
        return sb.toString();
    }
}
