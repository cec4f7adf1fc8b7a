package dev.edgecache.proxy.metrics;

/**
 * Where store-time compression reports each copy it makes: one call per coding per compressed page. Plain Java,
 * so the compressor needs neither Micrometer nor Netty. Implementations are thread-safe.
 */
public interface CompressionMeter {
    /** Reports nothing. */
    CompressionMeter NONE = new CompressionMeter() {
        @Override
        public void kept(String coding, long nanos, int bodyBytes, int copyBytes) {}

        @Override
        public void dropped(String coding, long nanos, int bodyBytes) {}
    };

    /** A {@code coding} copy of {@code copyBytes} made from {@code bodyBytes} in {@code nanos}, and stored. */
    void kept(String coding, long nanos, int bodyBytes, int copyBytes);

    /** A {@code coding} copy that took {@code nanos} but was not stored: it saved under a tenth, or failed. */
    void dropped(String coding, long nanos, int bodyBytes);
}
