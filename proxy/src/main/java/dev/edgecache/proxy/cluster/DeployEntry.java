package dev.edgecache.proxy.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.edgecache.proxy.deploy.DeployInfo;
import dev.edgecache.proxy.deploy.DeployRegistry;
import dev.edgecache.proxy.deploy.DeployState;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The body of a {@code deploy} entry in the cluster log (issue 9): deploy {@code deploy} with {@code total} critical
 * pages starts rendering on every node, or, with {@code failed} set, it failed and is dropped on every node. The
 * critical paths are not in the entry (they may be many, and the log keeps entries for long): they are in Redis
 * under {@link ClusterDeploys#pathsKey}.
 *
 * @param failed why the deploy failed; null for the entry that starts it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record DeployEntry(String deploy, int total, @Nullable String failed) {

    static DeployEntry start(String deploy, int total) {
        return new DeployEntry(deploy, total, null);
    }

    static DeployEntry failed(String deploy, String reason) {
        return new DeployEntry(deploy, 0, reason);
    }

    /**
     * Applies the entry here, on the consumer thread: the deploy is registered before the entry counts as applied,
     * so an owner asked for one of its pages by a node at or after this entry knows the deploy. The render itself is
     * handed to {@code work}, read after the registration: until the edge has wired it (during the start-up replay)
     * it is null, and {@link ClusterDeploys#attach} picks up every deploy left in state rendering.
     */
    void applyTo(DeployRegistry deploys, Supplier<@Nullable ClusterDeploys> work) {
        Optional<DeployInfo> known = deploys.get(deploy);
        String reason = failed;
        if (reason != null) {
            if (known.filter(d -> d.state() == DeployState.RENDERING).isPresent()) deploys.fail(deploy, reason);
            return;
        }
        // already live: the entry is re-applied after a crash between its effects and the position write
        if (known.filter(d -> d.state().isLive()).isEmpty()) deploys.create(deploy, total);
        ClusterDeploys w = work.get();
        if (w != null) w.renderHere(deploy);
    }
}
