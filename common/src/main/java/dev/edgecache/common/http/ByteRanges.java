package dev.edgecache.common.http;

import java.util.Locale;

/**
 * Evaluation of a {@code Range} header against a representation of known length (RFC 9110 §14.1.2, §14.2).
 * One satisfiable range gives a partial answer; a header that is not {@code bytes=}, is malformed (§14.1.1:
 * e.g. last-pos before first-pos) or asks for several ranges is ignored and the whole representation is sent,
 * as §14.2 allows; a single range starting at or past the end, or a zero suffix, is unsatisfiable (416).
 * Stateless.
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

    public static Decision evaluate(String header, long length) {
        String h = header.trim();
        int eq = h.indexOf('=');
        if (eq < 0 || !h.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("bytes")) return Decision.IGNORE;
        String spec = null;
        for (String element : h.substring(eq + 1).split(",", -1)) {
            String e = element.trim();
            if (e.isEmpty()) continue; // empty list elements are allowed (RFC 9110 §5.6.1)
            if (spec != null) return Decision.IGNORE; // several ranges: the whole representation instead
            spec = e;
        }
        if (spec == null) return Decision.IGNORE;
        int dash = spec.indexOf('-');
        if (dash < 0) return Decision.IGNORE;
        String a = spec.substring(0, dash);
        String b = spec.substring(dash + 1);
        if (a.isEmpty()) { // suffix-range: the last b bytes
            long suffix = digits(b);
            if (suffix < 0) return Decision.IGNORE;
            if (suffix == 0 || length == 0) return Decision.UNSATISFIABLE;
            return new Decision(Kind.PARTIAL, Math.max(0, length - suffix), length - 1);
        }
        long first = digits(a);
        long last = b.isEmpty() ? Long.MAX_VALUE : digits(b);
        if (first < 0 || last < 0 || last < first) return Decision.IGNORE;
        if (first >= length) return Decision.UNSATISFIABLE;
        return new Decision(Kind.PARTIAL, first, Math.min(last, length - 1));
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
