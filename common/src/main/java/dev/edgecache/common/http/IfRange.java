package dev.edgecache.common.http;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code If-Range} evaluation (RFC 9110 §13.1.5): the condition holds for an entity-tag that strongly matches the
 * representation's (a weak tag never does), or for an HTTP-date equal to its {@code Last-Modified} when that is a
 * strong validator. A cache may treat its entry's {@code Last-Modified} as strong only when the entry's {@code
 * Date} is at least one second later (§8.8.2.2): otherwise the representation could have changed twice within that
 * second, and a date would name two of them. When the condition does not hold the range is ignored and the whole
 * representation is sent. Stateless.
 */
public final class IfRange {
    private IfRange() {}

    /**
     * @param etag the representation's entity-tag
     * @param lastModified its {@code Last-Modified}, or null
     * @param date the stored response's {@code Date}, or null
     */
    public static boolean holds(String ifRange, String etag, @Nullable String lastModified, @Nullable String date) {
        String v = ifRange.trim();
        if (v.startsWith("W/")) return false;
        if (v.startsWith("\"")) return EntityTags.isStrong(etag) && v.equals(etag); // strong comparison, §8.8.3.2
        Optional<Instant> since = HttpDates.parse(v);
        Optional<Instant> modified = HttpDates.parse(lastModified);
        Optional<Instant> sent = HttpDates.parse(date);
        return since.isPresent()
                && modified.isPresent()
                && since.get().equals(modified.get())
                && sent.isPresent()
                && !sent.get().isBefore(modified.get().plusSeconds(1)); // §8.8.2.2: a strong Last-Modified
    }
}
