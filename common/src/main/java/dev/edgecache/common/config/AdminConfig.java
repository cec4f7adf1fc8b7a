package dev.edgecache.common.config;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The edge's {@code admin:} section.
 *
 * @param listen admin port address (default 127.0.0.1:9090)
 * @param token bearer token required on every admin call but health checks; empty means no token, which is
 *     only allowed on a loopback address
 * @param readyRequiresOrigin whether {@code /readyz} answers 503 while the origin is unreachable (default false:
 *     an edge serves its stored pages without the origin, so a load balancer should keep sending it readers; the
 *     origin's state is a detail of the answer and a metric either way)
 * @param tls issue 13: absent (null) for plain HTTP; present, the admin port speaks HTTPS only
 */
public record AdminConfig(
        @Nullable HostPort listen,
        @Nullable String token,
        @Nullable Boolean readyRequiresOrigin,
        @Nullable AdminTlsConfig tls) {
    public static final HostPort DEFAULT_LISTEN = HostPort.parse("127.0.0.1:9090");

    public AdminConfig {
        if (listen == null) listen = DEFAULT_LISTEN;
        if (token == null) token = "";
        if (readyRequiresOrigin == null) readyRequiresOrigin = false;
        InvalidValueException.require(
                !token.isEmpty() || listen.isLoopback(),
                "token",
                "admin.listen " + listen + " is not a loopback address, so admin.token must be set");
    }

    /** Without {@code tls:} (plain HTTP). */
    public AdminConfig(@Nullable HostPort listen, @Nullable String token, @Nullable Boolean readyRequiresOrigin) {
        this(listen, token, readyRequiresOrigin, null);
    }

    @Override
    public HostPort listen() {
        return Objects.requireNonNull(listen); // defaulted in the constructor
    }

    @Override
    public String token() {
        return Objects.requireNonNull(token); // defaulted in the constructor
    }

    @Override
    public Boolean readyRequiresOrigin() {
        return Objects.requireNonNull(readyRequiresOrigin); // defaulted in the constructor
    }

    public static AdminConfig defaults() {
        return new AdminConfig(null, null, null, null);
    }

    /** Same section on another listen address (tests on port 0). */
    public AdminConfig withListen(HostPort other) {
        return new AdminConfig(other, token, readyRequiresOrigin, tls);
    }

    public boolean hasToken() {
        return !token().isEmpty();
    }

    @Override
    public String toString() {
        return "AdminConfig[listen=" + listen + ", token=" + (hasToken() ? "(set)" : "(none)") + ", tls="
                + (tls == null ? "off" : "on") + "]";
    }
}
