package dev.edgecache.proxy.cluster;

/**
 * One node's progress on a cluster-wide deploy (issue 9), as the node writes it to Redis and {@code GET
 * /deploys/{id}} shows it under {@code "nodes"}.
 *
 * @param state {@value #RENDERING} or {@value #DONE}, as the node writes it; {@value #LEFT} (it left the membership)
 *     or {@value #STALLED} (no progress for a long time) when the node that took the deploy decided without it
 * @param updatedAt when the node wrote it, epoch milliseconds of its own clock
 */
public record NodeProgress(String state, int total, int done, int failures, long updatedAt) {
    public static final String RENDERING = "rendering";
    public static final String DONE = "done";
    public static final String LEFT = "left";
    public static final String STALLED = "stalled";

    boolean isDone() {
        return DONE.equals(state);
    }

    NodeProgress withState(String s) {
        return new NodeProgress(s, total, done, failures, updatedAt);
    }
}
