package dev.edgecache.proxy.cluster;

import java.util.List;

/**
 * What a cluster purge did, as the node that took the call saw it.
 *
 * @param purged entries this node removed or marked stale (every node counts its own)
 * @param position the purge's id in the cluster log
 * @param appliedHere false when this node had not applied it within the wait (it will, in order)
 * @param behind with {@code "wait":"all"}: live members that had not applied it within the wait
 */
public record PurgeOutcome(int purged, StreamId position, boolean appliedHere, List<String> behind) {
    public PurgeOutcome {
        behind = List.copyOf(behind);
    }
}
