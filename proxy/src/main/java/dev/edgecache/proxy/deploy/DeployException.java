package dev.edgecache.proxy.deploy;

/** A deploy operation that cannot be done; {@link #kind()} maps to the admin API's status. */
public final class DeployException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Kind {
        /** 404 */
        NOT_FOUND,
        /** 409 */
        CONFLICT,
        /** 400 */
        BAD_REQUEST
    }

    private final Kind kind;

    public DeployException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
