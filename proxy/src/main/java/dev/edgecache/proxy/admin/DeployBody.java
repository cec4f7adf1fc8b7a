package dev.edgecache.proxy.admin;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /deploys}.
 *
 * @param critical paths to render before the deploy goes live
 * @param criticalFrom an origin URL answering a JSON list of paths, e.g. {@code /_edge/critical?limit=50}
 */
record DeployBody(
        String id,
        @Nullable List<String> critical,
        @Nullable String criticalFrom) implements AdminJson.Validated {
    static final int MAX_CRITICAL = 100_000;

    DeployBody {
        critical = critical == null ? null : List.copyOf(critical);
    }

    @Override
    public void validate() {
        if (id == null || !id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("id must match [A-Za-z0-9._-]{1,64}");
        }
        if ((critical == null) == (criticalFrom == null)) {
            throw new IllegalArgumentException("give exactly one of critical and critical-from");
        }
        if (critical != null && critical.size() > MAX_CRITICAL) {
            throw new IllegalArgumentException("at most " + MAX_CRITICAL + " critical paths");
        }
        if (criticalFrom != null && !criticalFrom.startsWith("/")) {
            throw new IllegalArgumentException("critical-from is a path on the origin, starting with '/'");
        }
    }
}
