package dev.edgecache.ctl;

/**
 * A call to the admin port failed in a way the operator must hear about. The message is printed as is (it
 * never contains the token) and the run ends with {@link #exitCode()}.
 */
final class AdminException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    AdminException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    AdminException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
