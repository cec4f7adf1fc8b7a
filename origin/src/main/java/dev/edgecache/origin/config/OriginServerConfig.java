package dev.edgecache.origin.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import dev.edgecache.common.config.DataSize;
import dev.edgecache.common.config.HostPort;
import dev.edgecache.common.config.YamlConfigLoader;
import dev.edgecache.common.route.RoutePattern;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The whole of {@code conf/origin.yaml}. Immutable; every value is validated and defaulted at construction, before
 * any port is bound or any file is opened.
 *
 * @param listen where the origin listens (default {@value #DEFAULT_LISTEN_TEXT})
 * @param data directory for the origin's files (default {@code data/origin})
 * @param publicUrl the address readers use (the edge), for absolute links in feeds and sitemaps (default
 *     {@code http://127.0.0.1:8080})
 * @param database the JDBC store (default {@code jdbc:sqlite:<data>/blog.db}; {@code jdbc:postgresql:} for several
 *     origins sharing one database)
 * @param edge how purges reach the edge's admin port
 * @param renderers route pattern to renderer name, first match wins; {@code /**: blog} is appended when absent
 * @param rendererSettings per renderer name, free-form string settings passed to that renderer
 * @param seedDemo create the demo users and posts when the database has no user (default false)
 * @param passwordHashing PBKDF2 cost
 * @param sessions session lifetime and cookie flags
 * @param loginLimits login attempt limits
 * @param maxRequestSize largest request body accepted (default 4MiB); a post body is limited to 1MiB separately
 * @param preview signed, expiring draft preview links
 */
public record OriginServerConfig(
        @Nullable HostPort listen,
        @Nullable Path data,
        @Nullable URI publicUrl,
        @Nullable DatabaseConfig database,
        @Nullable EdgeLinkConfig edge,
        @Nullable Map<String, String> renderers,
        @Nullable Map<String, Map<String, String>> rendererSettings,
        @Nullable Boolean seedDemo,
        @Nullable PasswordHashingConfig passwordHashing,
        @Nullable SessionConfig sessions,
        @Nullable LoginLimitConfig loginLimits,
        @Nullable DataSize maxRequestSize,
        @Nullable PreviewConfig preview) {

    static final String DEFAULT_LISTEN_TEXT = "127.0.0.1:8081";
    public static final HostPort DEFAULT_LISTEN = HostPort.parse(DEFAULT_LISTEN_TEXT);
    public static final Path DEFAULT_DATA = Path.of("data", "origin");
    public static final URI DEFAULT_PUBLIC_URL = URI.create("http://127.0.0.1:8080");
    public static final String DEFAULT_RENDERER = "blog";
    public static final String CATCH_ALL = "/**";
    public static final DataSize DEFAULT_MAX_REQUEST_SIZE = DataSize.ofMebibytes(4);

    public OriginServerConfig {
        if (listen == null) listen = DEFAULT_LISTEN;
        if (data == null) data = DEFAULT_DATA;
        if (publicUrl == null) publicUrl = DEFAULT_PUBLIC_URL;
        require(
                "http".equals(publicUrl.getScheme()) || "https".equals(publicUrl.getScheme()),
                "public-url",
                "public-url must be an http:// or https:// URL, got " + publicUrl);
        require(publicUrl.getHost() != null, "public-url", "public-url needs a host, got " + publicUrl);
        if (database == null || database.url() == null) {
            database = new DatabaseConfig(
                    "jdbc:sqlite:" + data.resolve("blog.db"), database == null ? null : database.poolSize());
        }
        if (edge == null) edge = EdgeLinkConfig.defaults();
        renderers = routesWithDefault(renderers);
        rendererSettings = rendererSettings == null ? Map.of() : Map.copyOf(rendererSettings);
        if (seedDemo == null) seedDemo = false;
        if (passwordHashing == null) passwordHashing = PasswordHashingConfig.defaults();
        if (sessions == null) sessions = SessionConfig.defaults();
        if (loginLimits == null) loginLimits = LoginLimitConfig.defaults();
        if (maxRequestSize == null) maxRequestSize = DEFAULT_MAX_REQUEST_SIZE;
        if (preview == null) preview = PreviewConfig.defaults();
        require(
                maxRequestSize.bytes() >= (2L << 20) && maxRequestSize.bytes() <= Integer.MAX_VALUE - 8,
                "max-request-size",
                "max-request-size must be between 2MiB and 2GiB, got " + maxRequestSize);
    }

    @Override
    public HostPort listen() {
        return Objects.requireNonNull(listen); // defaulted in the constructor
    }

    @Override
    public Path data() {
        return Objects.requireNonNull(data); // defaulted in the constructor
    }

    @Override
    public URI publicUrl() {
        return Objects.requireNonNull(publicUrl); // defaulted in the constructor
    }

    @Override
    public DatabaseConfig database() {
        return Objects.requireNonNull(database); // defaulted in the constructor
    }

    @Override
    public EdgeLinkConfig edge() {
        return Objects.requireNonNull(edge); // defaulted in the constructor
    }

    @Override
    public Map<String, String> renderers() {
        return Objects.requireNonNull(renderers); // defaulted in the constructor
    }

    @Override
    public Map<String, Map<String, String>> rendererSettings() {
        return Objects.requireNonNull(rendererSettings); // defaulted in the constructor
    }

    @Override
    public Boolean seedDemo() {
        return Objects.requireNonNull(seedDemo); // defaulted in the constructor
    }

    @Override
    public PasswordHashingConfig passwordHashing() {
        return Objects.requireNonNull(passwordHashing); // defaulted in the constructor
    }

    @Override
    public SessionConfig sessions() {
        return Objects.requireNonNull(sessions); // defaulted in the constructor
    }

    @Override
    public LoginLimitConfig loginLimits() {
        return Objects.requireNonNull(loginLimits); // defaulted in the constructor
    }

    @Override
    public DataSize maxRequestSize() {
        return Objects.requireNonNull(maxRequestSize); // defaulted in the constructor
    }

    @Override
    public PreviewConfig preview() {
        return Objects.requireNonNull(preview); // defaulted in the constructor
    }

    private static Map<String, String> routesWithDefault(@Nullable Map<String, String> routes) {
        Map<String, String> out = new LinkedHashMap<>();
        if (routes != null) {
            for (Map.Entry<String, String> route : routes.entrySet()) {
                try {
                    RoutePattern.parse(route.getKey());
                } catch (IllegalArgumentException e) {
                    require(false, route.getKey(), e.getMessage());
                }
                require(
                        route.getValue() != null && !route.getValue().isBlank(),
                        route.getKey(),
                        "renderer name must not be empty");
                out.put(route.getKey(), route.getValue());
            }
        }
        out.putIfAbsent(CATCH_ALL, DEFAULT_RENDERER);
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Loads and validates a config file, replacing {@code ${VAR}} from the process environment. */
    public static OriginServerConfig load(Path file) {
        return YamlConfigLoader.withSystemEnvironment().load(file, OriginServerConfig.class);
    }

    /** All defaults; used by tests as a starting point. */
    public static OriginServerConfig defaults() {
        return new OriginServerConfig(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Settings of one renderer, empty when none are configured. */
    public Map<String, String> settingsOf(String renderer) {
        Map<String, String> settings = rendererSettings().get(renderer);
        return settings == null ? Map.of() : settings;
    }

    /** The same config listening elsewhere with another data directory and database (tests on port 0). */
    public OriginServerConfig withListenAndData(HostPort newListen, Path newData) {
        return new OriginServerConfig(
                newListen,
                newData,
                publicUrl,
                null,
                edge,
                renderers,
                rendererSettings,
                seedDemo,
                passwordHashing,
                sessions,
                loginLimits,
                maxRequestSize,
                preview);
    }

    /** The same config on another database (tests run every database-backed test on SQLite and PostgreSQL). */
    public OriginServerConfig withDatabase(DatabaseConfig newDatabase) {
        return new OriginServerConfig(
                listen,
                data,
                publicUrl,
                newDatabase,
                edge,
                renderers,
                rendererSettings,
                seedDemo,
                passwordHashing,
                sessions,
                loginLimits,
                maxRequestSize,
                preview);
    }

    /** The same config with another edge link (tests). */
    public OriginServerConfig withEdge(EdgeLinkConfig newEdge) {
        return new OriginServerConfig(
                listen,
                data,
                publicUrl,
                database,
                newEdge,
                renderers,
                rendererSettings,
                seedDemo,
                passwordHashing,
                sessions,
                loginLimits,
                maxRequestSize,
                preview);
    }

    /** The same config with other renderer routes and settings (tests). */
    public OriginServerConfig withRenderers(
            Map<String, String> newRenderers, Map<String, Map<String, String>> newSettings) {
        return new OriginServerConfig(
                listen,
                data,
                publicUrl,
                database,
                edge,
                newRenderers,
                newSettings,
                seedDemo,
                passwordHashing,
                sessions,
                loginLimits,
                maxRequestSize,
                preview);
    }

    /** The same config with another preview key and lifetime (tests). */
    public OriginServerConfig withPreview(PreviewConfig newPreview) {
        return new OriginServerConfig(
                listen,
                data,
                publicUrl,
                database,
                edge,
                renderers,
                rendererSettings,
                seedDemo,
                passwordHashing,
                sessions,
                loginLimits,
                maxRequestSize,
                newPreview);
    }

    /** The same config with other security costs and limits (tests use a low PBKDF2 cost). */
    public OriginServerConfig withSecurity(PasswordHashingConfig hashing, LoginLimitConfig limits, boolean seed) {
        return new OriginServerConfig(
                listen,
                data,
                publicUrl,
                database,
                edge,
                renderers,
                rendererSettings,
                seed,
                hashing,
                sessions,
                limits,
                maxRequestSize,
                preview);
    }
}
