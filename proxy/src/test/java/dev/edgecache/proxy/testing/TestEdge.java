package dev.edgecache.proxy.testing;

import dev.edgecache.common.config.AdminConfig;
import dev.edgecache.common.config.EdgeConfig;
import dev.edgecache.common.config.OriginConfig;
import dev.edgecache.common.config.YamlConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Builds edge configs for in-process tests: ports 0, a temp store, a token, short timeouts. */
public final class TestEdge {
    public static final String TOKEN = "test-token";

    private TestEdge() {}

    /** A config with the given routes (YAML list items, e.g. {@code {match: /p/**, mode: persistent}}). */
    public static EdgeConfig config(int originPort, Path storeDir, String routesYaml) {
        return config(originPort, storeDir, routesYaml, "");
    }

    /** Same, with more top-level keys (e.g. {@code sites: [a.example]}). */
    public static EdgeConfig config(int originPort, Path storeDir, String routesYaml, String topLevelYaml) {
        String yaml = topLevelYaml + "\n" + """
                listen: 127.0.0.1:0
                origin:
                  url: http://127.0.0.1:%d
                  connect-timeout: 1s
                  timeout: 2s
                  error-backoff: 0s
                  circuit-failures: 0
                store:
                  path: %s
                  memory: 16MiB
                admin:
                  listen: 127.0.0.1:0
                  token: %s
                routes:
                %s
                """.formatted(originPort, storeDir, TOKEN, routesYaml.indent(2));
        return new YamlConfigLoader(Map.<String, String>of()::get).parse("test.yaml", yaml, EdgeConfig.class);
    }

    /** The routes most tests use: a pass route, a ttl listing and persistent pages. */
    public static final String DEFAULT_ROUTES = """
            - {match: /login, mode: pass}
            - {match: /api/**, mode: pass}
            - {match: "/{user}/posts", mode: ttl, ttl: 60s}
            - {match: "/{user}/{slug}", mode: persistent, negative-ttl: 10s}
            """;

    public static EdgeConfig config(int originPort, Path storeDir) {
        return config(originPort, storeDir, DEFAULT_ROUTES);
    }

    /** Same as {@link #config(int, Path)} with another origin timeout. */
    public static EdgeConfig withOriginTimeout(EdgeConfig c, Duration timeout) {
        OriginConfig o = c.origin();
        return withOrigin(
                c,
                new OriginConfig(
                        o.url(),
                        o.connectTimeout(),
                        timeout,
                        null,
                        null,
                        o.errorBackoff(),
                        o.circuitFailures(),
                        null,
                        null));
    }

    /**
     * The config file of one cluster node for tests of the built jar: ports 0, a persistent {@code /{user}/{slug}}
     * route, the test token, and the peer token {@code peer-secret}.
     *
     * @param originTimeout {@code origin.timeout}, e.g. {@code 5s}
     * @param peerTimeout {@code cluster.peer.timeout}, e.g. {@code 2s}
     */
    public static String clusterNodeYaml(
            int originPort, Path store, String nodeId, String redisUri, String originTimeout, String peerTimeout) {
        return """
                listen: 127.0.0.1:0
                origin:
                  url: http://127.0.0.1:%d
                  timeout: %s
                store:
                  path: %s
                  memory: 16MiB
                admin:
                  listen: 127.0.0.1:0
                  token: %s
                routes:
                  - {match: "/{user}/{slug}", mode: persistent}
                cluster:
                  node-id: %s
                  redis: %s
                  token: peer-secret
                  peer:
                    listen: 127.0.0.1:0
                    timeout: %s
                """.formatted(originPort, originTimeout, store, TOKEN, nodeId, redisUri, peerTimeout);
    }

    /** Same config with another {@code admin:} section. */
    public static EdgeConfig withAdmin(EdgeConfig c, AdminConfig admin) {
        return new EdgeConfig(
                c.listen(), c.origin(), c.store(), admin, c.limits(), c.deploys(), c.deploy(), c.routes());
    }

    /** Same config with another {@code origin:} section. */
    public static EdgeConfig withOrigin(EdgeConfig c, OriginConfig origin) {
        return new EdgeConfig(
                c.listen(), origin, c.store(), c.admin(), c.limits(), c.deploys(), c.deploy(), c.routes());
    }
}
