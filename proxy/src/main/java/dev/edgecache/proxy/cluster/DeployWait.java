package dev.edgecache.proxy.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whom the node that took a cluster-wide deploy still waits for (issue 9), from the live members (heartbeats) and
 * the progress each node wrote. A live member is waited for until it reports done, unless its progress has not moved
 * for the stall timeout; a member that left the membership is not waited for. Plain Java, fed every poll by
 * {@link ClusterDeploys}; one instance per deploy, used on one thread.
 */
final class DeployWait {
    /**
     * Everyone is done or not waited for.
     *
     * @param notWaitedFor the members decided without, each {@link NodeProgress#LEFT} or {@link NodeProgress#STALLED}
     * @param worstNode the done node with the most failed pages ("" if none is done)
     * @param worstFailures its failed pages
     */
    record Verdict(Map<String, String> notWaitedFor, String worstNode, int worstFailures) {}

    private final long startedAt;
    private final long stallMillis;
    /** The progress each member showed last, and since when (this node's clock). */
    private final Map<String, NodeProgress> lastSeen = new HashMap<>();

    private final Map<String, Long> seenSince = new HashMap<>();
    /** Every member seen live: one that leaves before its first report is reported too. */
    private final Set<String> seenLive = new TreeSet<>();

    DeployWait(long startedAt, Duration stall) {
        this.startedAt = startedAt;
        this.stallMillis = stall.toMillis();
    }

    /** Empty while some live member is still to be waited for. */
    Optional<Verdict> check(Collection<String> live, Map<String, NodeProgress> nodes, long now) {
        seenLive.addAll(live);
        Map<String, String> notWaitedFor = new LinkedHashMap<>();
        boolean waiting = false;
        for (String member : new TreeSet<>(live)) {
            NodeProgress p = nodes.get(member);
            if (p != null && p.isDone()) continue;
            if (p != null && !p.equals(lastSeen.get(member))) { // it moved
                lastSeen.put(member, p);
                seenSince.put(member, now);
            }
            if (now - seenSince.getOrDefault(member, startedAt) > stallMillis) {
                notWaitedFor.put(member, NodeProgress.STALLED);
            } else {
                waiting = true;
            }
        }
        if (waiting) return Optional.empty();
        Set<String> known = new TreeSet<>(seenLive);
        known.addAll(nodes.keySet());
        String worstNode = "";
        int worst = 0;
        for (String member : known) {
            NodeProgress p = nodes.get(member);
            if (p != null && p.isDone()) {
                if (worstNode.isEmpty() || p.failures() > worst) {
                    worstNode = member;
                    worst = p.failures();
                }
            } else if (!live.contains(member)) {
                notWaitedFor.put(member, NodeProgress.LEFT);
            }
        }
        return Optional.of(new Verdict(notWaitedFor, worstNode, worst));
    }
}
