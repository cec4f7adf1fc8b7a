package dev.edgecache.common.key;

/** A request for a host that is not one of the configured sites; the edge answers 421 (RFC 9110 §15.5.20). */
public final class MisdirectedRequestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MisdirectedRequestException(String message) {
        super(message);
    }
}
