package dev.edgecache.common.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The whole of {@code conf/edge.yaml}. Immutable; every value is validated and defaulted at construction,
 * before any port is bound.
 *
 * @param listen reader port (default 127.0.0.1:8080)
 * @param deploy the deploy id used on first start, before any deploy is made (default {@code initial})
 */
public record EdgeConfig(
        @Nullable HostPort listen,
        OriginConfig origin,
        @Nullable StoreConfig store,
        @Nullable AdminConfig admin,
        @Nullable LimitsConfig limits,
        @Nullable DeploysConfig deploys,
        @Nullable String deploy,
        @Nullable List<RouteConfig> routes) {

    public static final HostPort DEFAULT_LISTEN = HostPort.parse("127.0.0.1:8080");
    public static final String DEFAULT_DEPLOY = "initial";
    /** Name of the route that unmatched requests get (mode pass). */
    public static final String IMPLICIT_ROUTE = "default";

    public EdgeConfig {
        if (listen == null) listen = DEFAULT_LISTEN;
        require(origin != null, "origin", "the origin section is required (origin.url)");
        if (store == null) store = StoreConfig.defaults();
        if (admin == null) admin = AdminConfig.defaults();
        if (limits == null) limits = LimitsConfig.defaults();
        if (deploys == null) deploys = DeploysConfig.defaults();
        if (deploy == null) deploy = DEFAULT_DEPLOY;
        require(deploy.matches("[A-Za-z0-9._-]{1,64}"), "deploy", "deploy id must match [A-Za-z0-9._-]{1,64}");
        routes = routes == null ? List.of() : List.copyOf(routes);
        long names = routes.stream().map(RouteConfig::name).distinct().count();
        require(names == routes.size(), "routes", "route names must be unique");
        require(routes.stream().noneMatch(r -> r.name().equals(IMPLICIT_ROUTE)), "routes",
                "'" + IMPLICIT_ROUTE + "' names the implicit pass route for unmatched paths; choose another name");
    }

    /** Loads and validates a config file, replacing {@code ${VAR}} from the process environment. */
    public static EdgeConfig load(Path file) {
        return YamlConfigLoader.withSystemEnvironment().load(file, EdgeConfig.class);
    }

    /** Same config with other listen addresses and store path, for tests on port 0. */
    public EdgeConfig withListenAndStore(HostPort listen, HostPort adminListen, Path storePath) {
        return new EdgeConfig(
                listen,
                origin,
                new StoreConfig(storePath, store.memory(), store.retainDeploys()),
                new AdminConfig(adminListen, admin.token()),
                limits,
                deploys,
                deploy,
                routes);
    }
}
