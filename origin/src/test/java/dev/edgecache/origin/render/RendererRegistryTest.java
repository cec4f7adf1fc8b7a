package dev.edgecache.origin.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RendererRegistryTest {
    private final AtomicInteger created = new AtomicInteger();

    private RendererProvider provider(String name) {
        return new RendererProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Renderer create(RendererContext context) {
                created.incrementAndGet();
                return r -> RenderedPage.html(200, name + ":" + r.pathVariables(), CacheHints.tags(name));
            }
        };
    }

    private RendererRegistry registry(Map<String, String> routes) {
        return RendererRegistry.of(
                routes,
                Map.of("a", provider("a"), "b", provider("b")),
                n -> new RendererContext(Map.of(), Path.of("."), URI.create("http://x"), Map.of()));
    }

    @Test
    void firstMatchingRouteWinsAndPrefixRoutesCarryTheRest() {
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put("/docs/**", "b");
        routes.put("/{user}/special", "b");
        routes.put("/**", "a");
        RendererRegistry r = registry(routes);
        assertThat(r.resolve("/docs/guide/intro").orElseThrow().pathVariables()).containsEntry("**", "guide/intro");
        assertThat(r.resolve("/docs").orElseThrow().pathVariables()).containsEntry("**", "");
        assertThat(r.resolve("/alice/special").orElseThrow().pathVariables()).containsEntry("user", "alice");
        RendererRegistry.Match fallback = r.resolve("/alice/hello").orElseThrow();
        assertThat(fallback.rendererName()).isEqualTo("a");
        assertThat(fallback.pathVariables()).containsEntry("**", "alice/hello");
        assertThat(created).hasValue(2); // one renderer per name, not per route
    }

    @Test
    void unknownRendererNamesFailNamingTheKnownOnes() {
        assertThatThrownBy(() -> registry(Map.of("/x/**", "nope")))
                .hasMessage("unknown renderer 'nope' for route /x/** (available: a, b)");
    }

    @Test
    void firstSegmentsOfOtherRenderersAreReported() {
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put("/docs/**", "b");
        routes.put("/{user}/x", "b");
        routes.put("/**", "a");
        assertThat(registry(routes).firstSegmentsNotRenderedBy("a")).containsExactly("docs");
    }

    @Test
    void shippedProvidersAreFoundWithServiceLoader() {
        RendererRegistry.checkNames(Map.of("/docs/**", "docs", "/**", "blog"));
        assertThatThrownBy(() -> RendererRegistry.checkNames(Map.of("/**", "nope")))
                .hasMessageContaining("available: blog, docs");
    }
}
