package dev.edgecache.common.key;

/** A request target that cannot be routed or keyed; the edge answers 400 with this message. */
public final class BadRequestTargetException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public BadRequestTargetException(String message) {
        super(message);
    }
}
