package dev.edgecache.proxy.admin;

import dev.edgecache.proxy.cluster.ClusterNode;
import dev.edgecache.proxy.cluster.ClusterUnavailableException;
import dev.edgecache.proxy.cluster.Member;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /cluster}: this node's name and the live members, with their peer address, active deploy, cluster-log
 * position, lag (log entries after their position, counted up to {@value #LAG_CAP}) and last heartbeat. Blocking
 * (Redis); admin work executor.
 */
final class ClusterCall {
    static final int LAG_CAP = 10_000;

    private final @Nullable ClusterNode cluster;

    ClusterCall(@Nullable ClusterNode cluster) {
        this.cluster = cluster;
    }

    AdminResponse handle() {
        ClusterNode c = cluster;
        if (c == null) return AdminResponse.error(404, "this edge is a single node: no cluster: section in its config");
        try {
            List<Map<String, Object>> members = new ArrayList<>();
            for (Member m : c.members()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", m.id());
                row.put("peer", m.peer());
                row.put("deploy", m.deploy());
                row.put("position", m.position());
                row.put("lag", c.lag(m.position(), LAG_CAP));
                row.put("seen", Instant.ofEpochMilli(m.seen()).toString());
                members.add(row);
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("node", c.nodeId());
            answer.put("position", c.position().toString());
            answer.put("members", members);
            return AdminResponse.json(200, answer);
        } catch (ClusterUnavailableException e) {
            return AdminResponse.error(503, e.getMessage());
        }
    }
}
