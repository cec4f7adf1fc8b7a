package dev.edgecache.origin.testing;

import dev.edgecache.common.config.HostPort;
import dev.edgecache.origin.OriginServer;
import dev.edgecache.origin.config.DatabaseConfig;
import dev.edgecache.origin.config.EdgeLinkConfig;
import dev.edgecache.origin.config.LoginLimitConfig;
import dev.edgecache.origin.config.OriginServerConfig;
import dev.edgecache.origin.config.PasswordHashingConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Origins for end-to-end tests: port 0, a temp data directory, cheap password hashing, fast purge retries. */
public final class TestOrigins {
    public static final int CHEAP_ITERATIONS = 1_000;

    private TestOrigins() {}

    public static OriginServerConfig config(Path dataDir, URI adminUrl) {
        return OriginServerConfig.defaults()
                .withListenAndData(HostPort.parse("127.0.0.1:0"), dataDir)
                .withEdge(new EdgeLinkConfig(
                        true,
                        adminUrl,
                        "test-token",
                        Duration.ofSeconds(2),
                        Duration.ofMillis(50),
                        Duration.ofMillis(400)))
                .withSecurity(new PasswordHashingConfig(CHEAP_ITERATIONS), new LoginLimitConfig(3, 50, null), false);
    }

    /** {@link #config(Path, URI)} on the database at {@code databaseUrl} (see {@link TestDatabase#newUrl}). */
    public static OriginServerConfig config(Path dataDir, URI adminUrl, String databaseUrl) {
        return config(dataDir, adminUrl).withDatabase(new DatabaseConfig(databaseUrl, null));
    }

    public static OriginServerConfig withDocs(OriginServerConfig config, Path docsRoot) {
        return config.withRenderers(Map.of("/docs/**", "docs"), Map.of("docs", Map.of("root", docsRoot.toString())));
    }

    public static OriginServer start(OriginServerConfig config) {
        return OriginServer.start(config);
    }
}
