package dev.edgecache.proxy.deploy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One deploy as the admin API shows it. Immutable; {@link DeployRegistry} replaces it on every change.
 *
 * @param createdAt epoch millis
 * @param activatedAt epoch millis of its last activation, 0 if never
 * @param total critical pages to render
 * @param done critical pages rendered or failed so far
 * @param failures critical pages that failed
 * @param reason why it failed, if it did
 * @param errors the first failed pages and why (bounded)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeployInfo(
        String id,
        DeployState state,
        long createdAt,
        long activatedAt,
        int total,
        int done,
        int failures,
        @Nullable String reason,
        List<PageFailure> errors) {

    public DeployInfo {
        errors = List.copyOf(errors);
    }

    /** A critical page that could not be rendered. */
    public record PageFailure(String url, String reason) {}

    /** A deploy just created: rendering, nothing done yet. */
    public static DeployInfo created(String id, long now, int total) {
        return new DeployInfo(id, DeployState.RENDERING, now, 0, total, 0, 0, null, List.of());
    }

    DeployInfo withState(DeployState s) {
        return new DeployInfo(id, s, createdAt, activatedAt, total, done, failures, reason, errors);
    }

    DeployInfo activated(long now) {
        return new DeployInfo(id, DeployState.ACTIVE, createdAt, now, total, done, failures, reason, errors);
    }

    DeployInfo failed(String why) {
        return new DeployInfo(id, DeployState.FAILED, createdAt, activatedAt, total, done, failures, why, errors);
    }

    DeployInfo progressed(int done, int failures, List<PageFailure> errors) {
        return new DeployInfo(id, state, createdAt, activatedAt, total, done, failures, reason, errors);
    }
}
