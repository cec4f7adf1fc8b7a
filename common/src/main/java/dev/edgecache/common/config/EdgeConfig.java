package dev.edgecache.common.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import dev.edgecache.common.key.KeyRules;
import dev.edgecache.common.net.CidrSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The whole of {@code conf/edge.yaml}. Immutable; every value is validated and defaulted at construction,
 * before any port is bound.
 *
 * @param listen reader port (default 127.0.0.1:8080)
 * @param deploy the deploy id used on first start, before any deploy is made (default {@code initial})
 * @param sites host names served (issue 5); when given, the host is part of the cache key; default none
 * @param unknownHost with sites: what a request for another host gets (default {@code reject}: 421)
 * @param query query-string rules for keys and forwarding
 * @param path path rules for routing, keys and forwarding
 * @param trustedProxies address blocks (CIDR, IPv4 or IPv6) of the proxies in front of the edge whose {@code
 *     X-Forwarded-For}, {@code X-Forwarded-Proto} and {@code Via} are believed (issue 8.5); from any other peer
 *     they are replaced. Default none: every reader is the client.
 * @param accessLog the access log (issue 10; default off)
 * @param errorPages HTML pages for 502, 503 and 504 answers (issue 10): {@code default} and/or a site of {@code sites}
 *     mapped to a file; {@code {{status}}} and {@code {{reason}}} in it are replaced. Default: a built-in page
 * @param cluster issue 9: absent (null) for a single node; see {@link ClusterConfig}
 * @param tls issue 13: absent (null) for plain HTTP only; see {@link TlsConfig}
 */
public record EdgeConfig(
        @Nullable HostPort listen,
        OriginConfig origin,
        @Nullable StoreConfig store,
        @Nullable AdminConfig admin,
        @Nullable LimitsConfig limits,
        @Nullable DeploysConfig deploys,
        @Nullable String deploy,
        @Nullable List<RouteConfig> routes,
        @Nullable List<String> sites,
        @Nullable UnknownHost unknownHost,
        @Nullable QueryConfig query,
        @Nullable PathConfig path,
        @Nullable List<String> trustedProxies,
        @Nullable AccessLogConfig accessLog,
        @Nullable Map<String, Path> errorPages,
        @Nullable ClusterConfig cluster,
        @Nullable TlsConfig tls) {

    public static final HostPort DEFAULT_LISTEN = HostPort.parse("127.0.0.1:8080");
    public static final String DEFAULT_DEPLOY = "initial";
    /** Name of the route that unmatched requests get (mode pass). */
    public static final String IMPLICIT_ROUTE = "default";

    private static final String HOST_PATTERN = "([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\\.)*[A-Za-z0-9]([A-Za-z0-9-]*"
            + "[A-Za-z0-9])?\\.?(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+](:[0-9]{1,5})?";

    /** A config without the issue-5 key sections (their defaults). */
    public EdgeConfig(
            @Nullable HostPort listen,
            OriginConfig origin,
            @Nullable StoreConfig store,
            @Nullable AdminConfig admin,
            @Nullable LimitsConfig limits,
            @Nullable DeploysConfig deploys,
            @Nullable String deploy,
            @Nullable List<RouteConfig> routes) {
        this(
                listen, origin, store, admin, limits, deploys, deploy, routes, null, null, null, null, null, null, null,
                null, null);
    }

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
        require(
                routes.stream().noneMatch(r -> r.name().equals(IMPLICIT_ROUTE)),
                "routes",
                "'" + IMPLICIT_ROUTE + "' names the implicit pass route for unmatched paths; choose another name");
        sites = sites == null ? List.of() : List.copyOf(sites);
        for (int i = 0; i < sites.size(); i++) {
            require(
                    sites.get(i) != null && sites.get(i).matches(HOST_PATTERN),
                    "sites[" + i + "]",
                    "a site is a host name with an optional :port, e.g. blog.example, got '" + sites.get(i) + "'");
        }
        long distinct = sites.stream().map(KeyRules::normaliseHost).distinct().count();
        require(distinct == sites.size(), "sites", "sites must be distinct (compared case-insensitively, without :80)");
        require(
                unknownHost == null || !sites.isEmpty(),
                "unknown-host",
                "unknown-host only applies when sites are listed");
        if (unknownHost == null) unknownHost = UnknownHost.REJECT;
        if (query == null) query = QueryConfig.defaults();
        if (path == null) path = PathConfig.defaults();
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        try {
            CidrSet.parse(trustedProxies);
        } catch (CidrSet.InvalidCidrException e) {
            throw new InvalidValueException("trusted-proxies[" + e.index() + "]", e.getMessage());
        }
        if (accessLog == null) accessLog = AccessLogConfig.defaults();
        errorPages = errorPages == null ? Map.of() : Map.copyOf(errorPages);
        for (Map.Entry<String, Path> page : errorPages.entrySet()) {
            String key = "error-pages." + page.getKey();
            require(
                    page.getKey().equals("default") || sites.stream().anyMatch(page.getKey()::equalsIgnoreCase),
                    key,
                    "error pages are keyed by 'default' or a site listed in sites, got '" + page.getKey() + "'");
            require(
                    Files.isReadable(page.getValue()),
                    key,
                    "cannot read " + page.getValue().toAbsolutePath());
        }
    }

    @Override
    public HostPort listen() {
        return Objects.requireNonNull(listen); // defaulted in the constructor
    }

    @Override
    public StoreConfig store() {
        return Objects.requireNonNull(store); // defaulted in the constructor
    }

    @Override
    public AdminConfig admin() {
        return Objects.requireNonNull(admin); // defaulted in the constructor
    }

    @Override
    public LimitsConfig limits() {
        return Objects.requireNonNull(limits); // defaulted in the constructor
    }

    @Override
    public DeploysConfig deploys() {
        return Objects.requireNonNull(deploys); // defaulted in the constructor
    }

    @Override
    public String deploy() {
        return Objects.requireNonNull(deploy); // defaulted in the constructor
    }

    @Override
    public List<RouteConfig> routes() {
        return Objects.requireNonNull(routes); // defaulted in the constructor
    }

    @Override
    public List<String> sites() {
        return Objects.requireNonNull(sites); // defaulted in the constructor
    }

    @Override
    public UnknownHost unknownHost() {
        return Objects.requireNonNull(unknownHost); // defaulted in the constructor
    }

    @Override
    public QueryConfig query() {
        return Objects.requireNonNull(query); // defaulted in the constructor
    }

    @Override
    public PathConfig path() {
        return Objects.requireNonNull(path); // defaulted in the constructor
    }

    @Override
    public List<String> trustedProxies() {
        return Objects.requireNonNull(trustedProxies); // defaulted in the constructor
    }

    @Override
    public AccessLogConfig accessLog() {
        return Objects.requireNonNull(accessLog); // defaulted in the constructor
    }

    @Override
    public Map<String, Path> errorPages() {
        return Objects.requireNonNull(errorPages); // defaulted in the constructor
    }

    /** {@link #trustedProxies()} parsed (validated in the constructor). */
    public CidrSet trustedProxyBlocks() {
        return CidrSet.parse(trustedProxies());
    }

    /** The configured part of the key normalisation, for the reader port, purges and deploys. */
    public KeyRules keyRules() {
        return new KeyRules(
                query().drop(),
                path().duplicateSlashes() == PathConfig.DuplicateSlashes.MERGE,
                sites(),
                unknownHost == UnknownHost.REJECT);
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
                store().withPath(storePath),
                admin().withListen(adminListen),
                limits,
                deploys,
                deploy,
                routes,
                sites,
                sites().isEmpty() ? null : unknownHost, // defaulted, but only allowed with sites
                query,
                path,
                trustedProxies,
                accessLog,
                errorPages,
                cluster,
                tls);
    }
}
