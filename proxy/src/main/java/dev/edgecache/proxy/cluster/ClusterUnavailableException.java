package dev.edgecache.proxy.cluster;

/**
 * Redis could not take a cluster-wide change (a purge, a deploy), so nothing was changed anywhere. The admin API
 * turns it into a 503; a purge is never silently applied to this node alone.
 */
public final class ClusterUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
