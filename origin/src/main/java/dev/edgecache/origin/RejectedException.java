package dev.edgecache.origin;

import java.util.Objects;

/**
 * A request the origin refuses, with the HTTP status that says why (400 invalid input, 401 not signed in or wrong
 * credentials, 403 not allowed, 404 not found, 409 conflict, 413 too large, 415 wrong media type, 429 too many
 * attempts). Thrown by services; the web layer turns it into an HTML page or a JSON {@code {"error": ...}}.
 * The message is shown to the user, so it never carries secrets.
 */
public final class RejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public RejectedException(int status, String message) {
        super(message, null, false, false);
        if (status < 400 || status > 499) throw new IllegalArgumentException("status must be 4xx, got " + status);
        this.status = status;
    }

    /** Never null: every constructor takes the message. */
    @Override
    public String getMessage() {
        return Objects.requireNonNull(super.getMessage());
    }

    public int status() {
        return status;
    }

    public static RejectedException badRequest(String message) {
        return new RejectedException(400, message);
    }

    public static RejectedException notFound(String message) {
        return new RejectedException(404, message);
    }
}
