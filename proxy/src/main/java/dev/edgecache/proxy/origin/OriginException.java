package dev.edgecache.proxy.origin;

/** The origin could not give a response. {@link #kind()} decides the client's status (502, 503 or 504). */
public final class OriginException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** TCP connect failed or timed out: 502. */
        CONNECT,
        /** No complete response within {@code origin.timeout}: 504. */
        TIMEOUT,
        /** The connection closed before a complete response: 502. */
        CLOSED,
        /** A malformed or oversized response: 502. */
        PROTOCOL,
        /** Not asked: the origin's circuit is open, or this page's render failed a moment ago (issue 8): 503. */
        HELD_BACK
    }

    private final Kind kind;

    public OriginException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public OriginException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The origin took too long (a 504), rather than failing outright (a 502). */
    public boolean isTimeout() {
        return kind == Kind.TIMEOUT;
    }
}
