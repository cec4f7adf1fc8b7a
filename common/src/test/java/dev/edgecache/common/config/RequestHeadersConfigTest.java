package dev.edgecache.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 11's route keys {@code request-headers: {forward, drop}} and {@code forward-cookies}. */
class RequestHeadersConfigTest {
    private final YamlConfigLoader loader = new YamlConfigLoader(Map.<String, String>of()::get);

    private RouteConfig route(String routeYaml) {
        String yaml = "origin: {url: \"http://127.0.0.1:8081\"}\nroutes:\n  - " + routeYaml + "\n";
        return loader.parse("edge.yaml", yaml, EdgeConfig.class).routes().get(0);
    }

    @Test
    void defaultsAddNothingAndForwardNoCookies() {
        RouteConfig r = route("{match: /a, mode: http}");
        assertThat(r.requestHeaders().forward()).isEmpty();
        assertThat(r.requestHeaders().drop()).isEmpty();
        assertThat(r.forwardCookies()).isFalse();
        assertThat(RouteConfig.of("/a", RouteMode.PERSISTENT, null).requestHeaders())
                .isEqualTo(RequestHeadersConfig.defaults());
    }

    @Test
    void namesAreKeptInLowerCaseOnEveryMode() {
        RouteConfig persistent = route(
                "{match: /a, mode: persistent, request-headers: {forward: [Accept-Language], drop: [User-Agent]}}");
        assertThat(persistent.requestHeaders().forward()).containsExactly("accept-language");
        assertThat(persistent.requestHeaders().drop()).containsExactly("user-agent");
        RouteConfig ttl = route("{match: /a, mode: ttl, ttl: 5s, request-headers: {forward: [X-Tenant]}}");
        assertThat(ttl.requestHeaders().forward()).containsExactly("x-tenant");
        RouteConfig http = route("{match: /a, mode: http, forward-cookies: true, request-headers: {drop: [Referer]}}");
        assertThat(http.forwardCookies()).isTrue();
        assertThat(http.requestHeaders().drop()).containsExactly("referer");
        RouteConfig pass = route("{match: /a, mode: pass, request-headers: {drop: [X-Debug]}}");
        assertThat(pass.requestHeaders().drop()).isEqualTo(List.of("x-debug"));
    }

    @Test
    void anHttpRouteMayForwardAuthorizationAndReadmitAPoisoningField() { // the origin must then Vary on it
        RouteConfig r = route("{match: /a, mode: http, request-headers: {forward: [Authorization, X-Forwarded-Host]}}");
        assertThat(r.requestHeaders().forward()).containsExactly("authorization", "x-forwarded-host");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // RFC 9110 §7.6.1: hop-by-hop fields belong to one connection, on every mode
                "{match: /a, mode: http, request-headers: {forward: [Connection]}}|routes[0].request-headers.forward[0]|hop-by-hop",
                "{match: /a, mode: pass, request-headers: {forward: [TE]}}|routes[0].request-headers.forward[0]|hop-by-hop",
                "{match: /a, mode: persistent, request-headers: {drop: [x, Keep-Alive]}}|routes[0].request-headers.drop[1]|hop-by-hop",
                "{match: /a, mode: http, request-headers: {forward: [Host]}}|routes[0].request-headers.forward[0]|written by the edge",
                "{match: /a, mode: http, request-headers: {drop: [Via]}}|routes[0].request-headers.drop[0]|written by the edge",
                "{match: /a, mode: http, request-headers: {forward: ['bad name']}}|routes[0].request-headers.forward[0]|is a token",
                "{match: /a, mode: http, request-headers: {forward: [a, A]}}|routes[0].request-headers.forward[1]|listed twice",
                "{match: /a, mode: http, request-headers: {forward: [a], drop: [A]}}|routes[0].request-headers.drop[0]|both forward and drop",
                // credentials never on cacheable persistent and ttl routes; Cookie on http only by forward-cookies
                "{match: /a, mode: persistent, request-headers: {forward: [Cookie]}}|routes[0].request-headers.forward[0]|use a pass route",
                "{match: /a, mode: ttl, ttl: 5s, request-headers: {forward: [Authorization]}}|routes[0].request-headers.forward[0]|authorization is never forwarded",
                "{match: /a, mode: persistent, request-headers: {forward: [authorization]}}|routes[0].request-headers.forward[0]|RFC 9111 §3.5",
                "{match: /a, mode: http, request-headers: {forward: [cookie]}}|routes[0].request-headers.forward[0]|forward-cookies: true",
                // the edge answers these itself from the store (RFC 9110 §13, §14, §12.5.3)
                "{match: /a, mode: http, request-headers: {forward: [If-None-Match]}}|routes[0].request-headers.forward[0]|answered by the edge",
                "{match: /a, mode: persistent, request-headers: {forward: [Range]}}|routes[0].request-headers.forward[0]|answered by the edge",
                "{match: /a, mode: http, request-headers: {forward: [Accept-Encoding]}}|routes[0].request-headers.forward[0]|stored bodies are identity",
                // persistent and ttl routes key on no request field: no poisoning field either
                "{match: /a, mode: persistent, request-headers: {forward: [X-Original-URL]}}|routes[0].request-headers.forward[0]|poison",
                // forward-cookies only where it means something
                "{match: /a, mode: persistent, forward-cookies: true}|routes[0].forward-cookies|only applies to mode http",
                "{match: /a, mode: pass, forward-cookies: false}|routes[0].forward-cookies|only applies to mode http",
                "{match: /a, mode: http, forward-cookies: true, request-headers: {drop: [Cookie]}}|routes[0].request-headers.drop|forward-cookies is true",
            })
    void badValuesNameFileLineAndKey(String routeYaml, String key, String message) {
        assertThatThrownBy(() -> route(routeYaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("edge.yaml:3:")
                .hasMessageContaining(key + ": ")
                .hasMessageContaining(message);
    }
}
