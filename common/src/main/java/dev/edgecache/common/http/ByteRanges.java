package dev.edgecache.common.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Evaluation of a {@code Range} header against a representation of known length (RFC 9110 §14.1.2, §14.2). One
 * satisfiable range, or several that overlap or touch and so coalesce into one (§14.2 allows coalescing), gives a
 * single-part 206; several disjoint satisfiable ranges are ignored and the whole representation is sent, as §14.2
 * allows (the edge sends no {@code multipart/byteranges}). A header that is not {@code bytes=}, is malformed
 * (§14.1.1: e.g. last-pos before first-pos) or lists more than {@value #MAX_RANGES} ranges (§17.15: many small or
 * overlapping ranges are a denial-of-service vector) is ignored too. When no range is satisfiable (each starts at or
 * past the end, or is a zero suffix) the answer is 416 (§15.5.17). Stateless.
 */
public final class ByteRanges {
    private ByteRanges() {}

    /** What to answer. {@code first} and {@code last} are inclusive offsets, set only for {@link Kind#PARTIAL}. */
    public record Decision(Kind kind, long first, long last) {
        static final Decision IGNORE = new Decision(Kind.IGNORE, -1, -1);
        static final Decision UNSATISFIABLE = new Decision(Kind.UNSATISFIABLE, -1, -1);

        public long length() {
            return last - first + 1;
        }

        /** The {@code Content-Range} value (RFC 9110 §14.4) for a representation of {@code total} bytes. */
        public String contentRange(long total) {
            return kind == Kind.PARTIAL ? "bytes " + first + "-" + last + "/" + total : "bytes */" + total;
        }
    }

    public enum Kind {
        /** Send the whole representation (200). */
        IGNORE,
        /** Send {@code first..last} (206). */
        PARTIAL,
        /** Nothing of the representation is in range (416). */
        UNSATISFIABLE
    }

    /** More ranges than this in one header are ignored (RFC 9110 §17.15). */
    public static final int MAX_RANGES = 16;

    public static Decision evaluate(String header, long length) {
        String h = header.trim();
        int eq = h.indexOf('=');
        if (eq < 0 || !h.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("bytes")) return Decision.IGNORE;
        List<long[]> satisfiable = new ArrayList<>(2);
        int specs = 0;
        for (String element : h.substring(eq + 1).split(",", -1)) {
            String e = element.trim();
            if (e.isEmpty()) continue; // empty list elements are allowed (RFC 9110 §5.6.1)
            if (++specs > MAX_RANGES) return Decision.IGNORE;
            long[] range = range(e, length);
            if (range == null) return Decision.IGNORE; // one malformed range-spec makes the whole header invalid
            if (range.length == 2) satisfiable.add(range);
        }
        if (specs == 0) return Decision.IGNORE;
        if (satisfiable.isEmpty()) return Decision.UNSATISFIABLE;
        satisfiable.sort(Comparator.comparingLong(r -> r[0]));
        long first = satisfiable.get(0)[0];
        long last = satisfiable.get(0)[1];
        for (long[] r : satisfiable) {
            if (r[0] > last + 1) return Decision.IGNORE; // disjoint: would need multipart/byteranges
            last = Math.max(last, r[1]);
        }
        return new Decision(Kind.PARTIAL, first, last);
    }

    /**
     * One range-spec against {@code length}: {@code {first, last}} when satisfiable, an empty array when valid but
     * unsatisfiable, null when malformed.
     */
    private static long @Nullable [] range(String spec, long length) {
        int dash = spec.indexOf('-');
        if (dash < 0) return null;
        String a = spec.substring(0, dash);
        String b = spec.substring(dash + 1);
        if (a.isEmpty()) { // suffix-range: the last b bytes
            long suffix = digits(b);
            if (suffix < 0) return null;
            if (suffix == 0 || length == 0) return new long[0];
            return new long[] {Math.max(0, length - suffix), length - 1};
        }
        long first = digits(a);
        long last = b.isEmpty() ? Long.MAX_VALUE : digits(b);
        if (first < 0 || last < 0 || last < first) return null;
        if (first >= length) return new long[0];
        return new long[] {first, Math.min(last, length - 1)};
    }

    /** 1*DIGIT, saturating at Long.MAX_VALUE; -1 when not digits. */
    private static long digits(String s) {
        if (s.isEmpty()) return -1;
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : v * 10 + (c - '0');
        }
        return v;
    }
}
