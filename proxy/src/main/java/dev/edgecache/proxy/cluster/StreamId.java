package dev.edgecache.proxy.cluster;

/**
 * A Redis Stream entry id, {@code <ms>-<seq>}, compared numerically (the string order is wrong as soon as the
 * millisecond parts differ in length).
 */
public record StreamId(long millis, long sequence) implements Comparable<StreamId> {
    /** Before every entry: a node that never applied anything. */
    public static final StreamId ZERO = new StreamId(0, 0);

    public StreamId {
        if (millis < 0 || sequence < 0) {
            throw new IllegalArgumentException(
                    "a stream id is two non-negative numbers, got " + millis + "-" + sequence);
        }
    }

    public static StreamId parse(String text) {
        int dash = text.indexOf('-');
        try {
            if (dash < 0) return new StreamId(Long.parseLong(text), 0);
            return new StreamId(Long.parseLong(text.substring(0, dash)), Long.parseLong(text.substring(dash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a stream id: '" + text + "'", e);
        }
    }

    public boolean isAfter(StreamId other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(StreamId o) {
        int c = Long.compare(millis, o.millis);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }

    @Override
    public String toString() {
        return millis + "-" + sequence;
    }
}
