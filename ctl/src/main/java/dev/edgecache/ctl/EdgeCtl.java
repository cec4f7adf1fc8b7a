package dev.edgecache.ctl;

/** Placeholder: the SRE command line is being written. */
public final class EdgeCtl {
    private EdgeCtl() {}

    /** Runs {@code ctl} with {@code args} (without the leading "ctl") and returns the exit code. */
    public static int run(String... args) {
        System.err.println("ctl: not implemented yet");
        return 1;
    }
}
