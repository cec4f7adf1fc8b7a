package dev.edgecache.origin;

/** Placeholder while the origin is being written. */
public final class OriginMain {
    private OriginMain() {}

    public static void main(String[] args) {}
}
