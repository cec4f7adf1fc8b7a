package dev.edgecache.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeConfigTest {
    private final YamlConfigLoader loader = new YamlConfigLoader(Map.of("TOKEN", "s3cret")::get);

    private EdgeConfig parse(String yaml) {
        return loader.parse("edge.yaml", yaml, EdgeConfig.class);
    }

    @Test
    void fullConfigBindsWithDefaultsAndEnvironment() {
        EdgeConfig c = parse("""
                listen: 127.0.0.1:8080
                origin:
                  url: http://127.0.0.1:8081
                  timeout: 5s
                store:
                  path: data/edge
                  memory: 64MiB
                admin:
                  listen: 127.0.0.1:9090
                  token: ${TOKEN}
                routes:
                  - match: /login
                    mode: pass
                  - match: /{user}/posts
                    mode: ttl
                    ttl: 60s
                    stale-while-revalidate: 5m
                  - match: /{user}/{slug}
                    mode: persistent
                """);
        assertThat(c.listen().port()).isEqualTo(8080);
        assertThat(c.origin().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.origin().connectTimeout()).isEqualTo(OriginConfig.DEFAULT_CONNECT_TIMEOUT);
        assertThat(c.store().memory().bytes()).isEqualTo(64L << 20);
        assertThat(c.admin().token()).isEqualTo("s3cret");
        assertThat(c.routes()).hasSize(3);
        assertThat(c.routes().get(1).ttl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.routes().get(2).negativeTtl()).isEqualTo(RouteConfig.DEFAULT_NEGATIVE_TTL);
        assertThat(c.routes().get(0).name()).isEqualTo("/login");
        assertThat(c.deploy()).isEqualTo("initial");
    }

    @Test
    void badDurationNamesFileLineAndKey() {
        assertThatThrownBy(() -> parse("""
                origin:
                  url: http://127.0.0.1:8081
                routes:
                  - match: /a
                    mode: persistent
                  - match: /b
                    mode: ttl
                    ttl: soon
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("edge.yaml:8:")
                .hasMessageContaining("routes[1].ttl")
                .hasMessageContaining("expected a duration");
    }

    @Test
    void missingTtlOnTtlRouteNamesTheKey() {
        assertThatThrownBy(() -> parse("""
                origin:
                  url: http://127.0.0.1:8081
                routes:
                  - match: /b
                    mode: ttl
                """))
                .hasMessageStartingWith("edge.yaml:4:")
                .hasMessageContaining("routes[0].ttl: mode ttl needs a ttl");
    }

    @Test
    void unknownKeyIsAnErrorListingTheKnownOnes() {
        assertThatThrownBy(() -> parse("""
                origin:
                  url: http://127.0.0.1:8081
                  timout: 5s
                """))
                .hasMessageStartingWith("edge.yaml:3:")
                .hasMessageContaining("origin.timout: unknown key 'timout'")
                .hasMessageContaining("timeout");
    }

    @Test
    void unknownModeAndBadPatternAreReported() {
        assertThatThrownBy(() -> parse("""
                origin: {url: "http://127.0.0.1:8081"}
                routes:
                  - {match: /a, mode: forever}
                """))
                .hasMessageContaining("routes[0].mode")
                .hasMessageContaining("unknown mode 'forever'");
        assertThatThrownBy(() -> parse("""
                origin: {url: "http://127.0.0.1:8081"}
                routes:
                  - {match: "/a/**/b", mode: pass}
                """))
                .hasMessageContaining("routes[0].match: '**' is only allowed as the last segment");
    }

    @Test
    void missingEnvironmentVariableNamesLineAndVariable() {
        assertThatThrownBy(() -> parse("""
                origin:
                  url: http://127.0.0.1:8081
                admin:
                  token: ${NOPE}
                """))
                .hasMessageStartingWith("edge.yaml:4:")
                .hasMessageContaining("${NOPE}: environment variable is not set");
        assertThat(parse("""
                origin:
                  url: http://127.0.0.1:8081
                admin:
                  token: ${NOPE:-}
                """).admin().hasToken()).isFalse();
    }

    @Test
    void nonLoopbackAdminWithoutTokenIsRefused() {
        assertThatThrownBy(() -> parse("""
                origin:
                  url: http://127.0.0.1:8081
                admin:
                  listen: 0.0.0.0:9090
                """))
                .hasMessageContaining("admin.token")
                .hasMessageContaining("not a loopback address");
    }

    @Test
    void missingOriginIsReported() {
        assertThatThrownBy(() -> parse("listen: 127.0.0.1:8080\n")).hasMessageContaining("origin");
    }

    @Test
    void originWithPathOrOtherSchemeIsRefused() {
        assertThatThrownBy(() -> parse("origin: {url: \"https://x\"}\n")).hasMessageContaining("origin.url");
        assertThatThrownBy(() -> parse("origin: {url: \"http://x/app\"}\n"))
                .hasMessageContaining("must not have a path");
    }

    @Test
    void keySectionsBindWithDefaults() { // issue 5
        EdgeConfig plain = parse("origin: {url: \"http://127.0.0.1:8081\"}\n");
        assertThat(plain.sites()).isEmpty();
        assertThat(plain.query().drop()).isEmpty();
        assertThat(plain.path().duplicateSlashes()).isEqualTo(PathConfig.DuplicateSlashes.MERGE);
        assertThat(plain.keyRules()).isEqualTo(dev.edgecache.common.key.KeyRules.DEFAULT);

        EdgeConfig c = parse("""
                origin: {url: "http://127.0.0.1:8081"}
                sites: [Blog.Example, www.blog.example]
                unknown-host: default
                query:
                  drop: [utm_*, fbclid]
                path:
                  duplicate-slashes: keep
                """);
        assertThat(c.keyRules().sites()).containsExactly("blog.example", "www.blog.example");
        assertThat(c.keyRules().rejectUnknownHost()).isFalse();
        assertThat(c.keyRules().dropParams()).containsExactly("utm_*", "fbclid");
        assertThat(c.keyRules().mergeSlashes()).isFalse();
        assertThat(parse("origin: {url: \"http://x:1\"}\nsites: [a.example]\n").unknownHost())
                .isEqualTo(UnknownHost.REJECT);
    }

    @Test
    void trustedProxiesAndConnectionLimitsBindWithDefaults() { // issue 8.3 and 8.5
        EdgeConfig plain = parse("origin: {url: \"http://127.0.0.1:8081\"}\n");
        assertThat(plain.trustedProxies()).isEmpty();
        assertThat(plain.trustedProxyBlocks().isEmpty()).isTrue();
        assertThat(plain.limits().requestHeadTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(plain.limits().maxConnectionsPerClient()).isEqualTo(256);

        EdgeConfig c = parse("""
                origin: {url: "http://127.0.0.1:8081"}
                trusted-proxies: [10.0.0.0/8, "2001:db8::/32", 127.0.0.1]
                limits:
                  request-head-timeout: 500ms
                  max-connections-per-client: 0
                """);
        assertThat(c.trustedProxyBlocks().blocks()).hasSize(3);
        assertThat(c.limits().requestHeadTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.limits().maxConnectionsPerClient()).isZero();
        assertThat(c.withListenAndStore(c.listen(), c.admin().listen(), java.nio.file.Path.of("x"))
                        .trustedProxies())
                .isEqualTo(c.trustedProxies());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(
            delimiter = '|',
            value = {
                "sites: [blog.example, 'bad host']|edge.yaml:2:|sites[1]: a site is a host name",
                "sites: [a.example, A.example:80]|edge.yaml:2:|sites: sites must be distinct",
                "unknown-host: default|edge.yaml:2:|unknown-host: unknown-host only applies when sites are listed",
                "sites: [a.example]\\nunknown-host: maybe|edge.yaml:3:|unknown-host: unknown-host must be reject or default",
                "query:\\n  drop: [utm_*, '*']|edge.yaml:3:|query.drop[1]: a dropped parameter needs a name",
                "query:\\n  drop: [u*m]|edge.yaml:3:|query.drop[0]: '*' is only allowed at the end",
                "query:\\n  drop: ['a=b']|edge.yaml:3:|query.drop[0]: a parameter name must be printable ASCII",
                "path:\\n  duplicate-slashes: squash|edge.yaml:3:|path.duplicate-slashes: duplicate-slashes must be keep or merge",
                "trusted-proxies: [10.0.0.0/8, 'proxy.internal']|edge.yaml:2:|trusted-proxies[1]: 'proxy.internal' is not an IP address",
                "trusted-proxies:\\n  - ::1\\n  - 10.0.0.1/8|edge.yaml:4:|trusted-proxies[1]: '10.0.0.1/8' has host bits set",
                "limits:\\n  request-head-timeout: 0s|edge.yaml:3:|limits.request-head-timeout: request-head-timeout must be between",
                "limits:\\n  max-connections-per-client: -1|edge.yaml:3:|limits.max-connections-per-client: max-connections-per-client must be 0",
            })
    void badKeySettingsNameFileLineAndKey(String yaml, String location, String message) {
        assertThatThrownBy(() -> parse("origin: {url: \"http://127.0.0.1:8081\"}\n" + yaml.replace("\\n", "\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(location)
                .hasMessageContaining(message);
    }
}
