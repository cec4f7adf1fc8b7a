package dev.edgecache.ctl;

/**
 * The process exit codes of {@code ctl}, stable so that scripts can branch on them. Listed in
 * {@code ctl/README.md}; change both together.
 */
final class ExitCodes {
    /** The call succeeded (for {@code deploy}: the deploy is active). */
    static final int OK = 0;
    /** The admin port answered with an error (4xx other than 401, or 5xx); its message is printed. */
    static final int FAILED = 1;
    /** Bad command line: picocli's own usage-error code. */
    static final int USAGE = 2;
    /** The admin port could not be reached (refused, unknown host, timed out). */
    static final int UNREACHABLE = 3;
    /** The admin port refused the token (401). */
    static final int UNAUTHORIZED = 4;
    /** A watched deploy ended without becoming active (failed, retained or deleted). */
    static final int DEPLOY_NOT_ACTIVE = 5;

    private ExitCodes() {}
}
