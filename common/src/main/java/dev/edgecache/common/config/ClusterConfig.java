package dev.edgecache.common.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The edge's {@code cluster:} section (issue 9). Absent, the edge is a single node and needs no Redis; present,
 * purges and deploys go through one Redis Stream and the nodes heartbeat into Redis.
 *
 * @param nodeId this node's name, unique in the cluster (default: the host name)
 * @param redis the coordination engine: a {@code redis://}, {@code rediss://} or {@code redis-sentinel://} URI;
 *     {@code ${ENV}} may supply the password
 * @param token the secret peers authenticate to each other with; required unless the peer port is on loopback
 * @param peer the internal peer-fill port
 */
public record ClusterConfig(
        @Nullable String nodeId,
        String redis,
        @Nullable String token,
        @Nullable Peer peer) {
    private static final Set<String> SCHEMES = Set.of("redis", "rediss", "redis-sentinel");

    /**
     * The {@code cluster.peer:} section.
     *
     * @param listen the peer-fill address, never the reader port (default 127.0.0.1:7080)
     * @param timeout how long a node waits for the key's owner before it asks the origin itself (default 2s)
     */
    public record Peer(@Nullable HostPort listen, @Nullable Duration timeout) {
        public static final HostPort DEFAULT_LISTEN = HostPort.parse("127.0.0.1:7080");
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

        public Peer {
            if (listen == null) listen = DEFAULT_LISTEN;
            if (timeout == null) timeout = DEFAULT_TIMEOUT;
            require(timeout.isPositive(), "timeout", "cluster.peer.timeout must be positive, got " + timeout);
        }

        @Override
        public Duration timeout() {
            return Objects.requireNonNull(timeout); // defaulted in the constructor
        }

        @Override
        public HostPort listen() {
            return Objects.requireNonNull(listen); // defaulted in the constructor
        }
    }

    public ClusterConfig {
        if (nodeId == null) nodeId = hostName();
        require(
                nodeId.matches("[A-Za-z0-9._-]{1,64}"),
                "node-id",
                "node-id must match [A-Za-z0-9._-]{1,64}, got '" + nodeId + "'");
        require(redis != null && !redis.isBlank(), "redis", "cluster.redis is required, e.g. redis://127.0.0.1:6379/0");
        require(
                validRedisUri(redis),
                "redis",
                "expected a redis://host:port[/db] or redis-sentinel:// URI, got '"
                        + masked(Objects.requireNonNull(redis)) + "'");
        if (peer == null) peer = new Peer(null, null);
        if (token == null) token = "";
        require(
                !token.isEmpty() || peer.listen().isLoopback(),
                "token",
                "cluster.peer.listen " + peer.listen() + " is not a loopback address, so cluster.token must be set");
    }

    @Override
    public String nodeId() {
        return Objects.requireNonNull(nodeId); // defaulted in the constructor
    }

    @Override
    public String token() {
        return Objects.requireNonNull(token); // defaulted in the constructor
    }

    @Override
    public Peer peer() {
        return Objects.requireNonNull(peer); // defaulted in the constructor
    }

    private static boolean validRedisUri(@Nullable String text) {
        if (text == null) return false;
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            if (scheme == null || !SCHEMES.contains(scheme.toLowerCase(Locale.ROOT))) return false;
            return uri.getRawAuthority() != null && !uri.getRawAuthority().isBlank();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The URI with any password replaced, for messages and logs. */
    public static String masked(String redisUri) {
        return redisUri.replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@");
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env.trim();
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "edge";
        }
    }

    @Override
    public String toString() {
        return "ClusterConfig[node-id=" + nodeId + ", redis=" + masked(redis) + ", token="
                + (token().isEmpty() ? "(none)" : "(set)") + ", peer=" + peer + "]";
    }
}
