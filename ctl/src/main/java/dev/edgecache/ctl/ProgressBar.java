package dev.edgecache.ctl;

/** Draws one deploy progress line: {@code v2 rendering [#########.....] 45/100 failures 1}. */
final class ProgressBar {
    static final int DEFAULT_WIDTH = 30;

    private ProgressBar() {}

    static String line(DeployStatus status) {
        return line(status, DEFAULT_WIDTH);
    }

    static String line(DeployStatus status, int width) {
        if (width <= 0) throw new IllegalArgumentException("width must be positive, got " + width);
        int total = Math.max(status.total(), 0);
        int done = Math.clamp(status.done(), 0, total);
        // integer maths, so 99/100 never draws a full bar
        int filled = total == 0 ? 0 : (int) ((long) done * width / total);
        return status.id() + " " + status.state()
                + " [" + "#".repeat(filled) + ".".repeat(width - filled) + "] "
                + status.done() + "/" + status.total()
                + " failures " + status.failures();
    }
}
