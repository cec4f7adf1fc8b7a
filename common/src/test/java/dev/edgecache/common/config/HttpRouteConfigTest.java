package dev.edgecache.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Route keys of issue 5's http mode: {@code mode: http}, {@code client-revalidate}, {@code max-variants}. */
class HttpRouteConfigTest {
    private final YamlConfigLoader loader = new YamlConfigLoader(Map.<String, String>of()::get);

    private RouteConfig route(String routeYaml) {
        String yaml = "origin: {url: \"http://127.0.0.1:8081\"}\nroutes:\n  - " + routeYaml + "\n";
        return loader.parse("edge.yaml", yaml, EdgeConfig.class).routes().get(0);
    }

    @Test
    void httpModeIsAModeWithItsDefaults() {
        RouteConfig r = route("{match: /docs/**, mode: http}");
        assertThat(r.mode()).isEqualTo(RouteMode.HTTP);
        assertThat(r.mode().isCacheable()).isTrue();
        assertThat(r.clientRevalidate()).isEqualTo(ClientRevalidate.HONOR);
        assertThat(r.maxVariants()).isEqualTo(RouteConfig.DEFAULT_MAX_VARIANTS);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"persistent,IGNORE", "http,HONOR"})
    void clientRevalidateDefaultsByMode(String mode, ClientRevalidate expected) {
        assertThat(route("{match: /a, mode: " + mode + "}").clientRevalidate()).isEqualTo(expected);
        assertThat(route("{match: /a, mode: ttl, ttl: 5s}").clientRevalidate()).isEqualTo(ClientRevalidate.IGNORE);
    }

    @Test
    void clientRevalidateCanBeSetPerRoute() {
        assertThat(route("{match: /a, mode: persistent, client-revalidate: honor}")
                        .clientRevalidate())
                .isEqualTo(ClientRevalidate.HONOR);
        assertThat(route("{match: /a, mode: http, client-revalidate: ignore}").clientRevalidate())
                .isEqualTo(ClientRevalidate.IGNORE);
    }

    @Test
    void heuristicMaxIsSetPerHttpRoute() { // RFC 9111 §4.2.2: the heuristic lifetime's cap
        assertThat(route("{match: /a, mode: http}").heuristicMax()).isEqualTo(RouteConfig.DEFAULT_HEURISTIC_MAX);
        assertThat(route("{match: /a, mode: http, heuristic-max: 1h}").heuristicMax())
                .isEqualTo(java.time.Duration.ofHours(1));
        assertThat(route("{match: /a, mode: http, heuristic-max: 0s}").heuristicMax())
                .isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{match: /a, mode: http, client-revalidate: sometimes}|routes[0].client-revalidate|must be honor or ignore",
                "{match: /a, mode: pass, client-revalidate: honor}|routes[0].client-revalidate|only applies to cacheable routes",
                "{match: /a, mode: http, max-variants: 0}|routes[0].max-variants|must be 1..1024",
                "{match: /a, mode: persistent, max-variants: 4}|routes[0].max-variants|only applies to mode http",
                "{match: /a, mode: http, ttl: 5s}|routes[0].ttl|only applies to mode ttl",
                "{match: /a, mode: persistent, heuristic-max: 1h}|routes[0].heuristic-max|only applies to mode http",
                "{match: /a, mode: http, heuristic-max: -1s}|routes[0].heuristic-max|expected a duration",
            })
    void badValuesNameFileLineAndKey(String routeYaml, String key, String message) {
        assertThatThrownBy(() -> route(routeYaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("edge.yaml:3:")
                .hasMessageContaining(key + ": ")
                .hasMessageContaining(message);
    }
}
