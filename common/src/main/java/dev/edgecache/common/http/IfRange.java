package dev.edgecache.common.http;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code If-Range} evaluation (RFC 9110 §13.1.5): the condition holds for an entity-tag that strongly matches the
 * representation's (a weak tag never does), or for an HTTP-date exactly equal to its {@code Last-Modified}. When
 * it does not hold the range is ignored and the whole representation is sent. Stateless.
 */
public final class IfRange {
    private IfRange() {}

    public static boolean holds(String ifRange, String etag, @Nullable String lastModified) {
        String v = ifRange.trim();
        if (v.startsWith("W/")) return false;
        if (v.startsWith("\"")) return EntityTags.isStrong(etag) && v.equals(etag); // strong comparison, §8.8.3.2
        Optional<Instant> date = HttpDates.parse(v);
        Optional<Instant> modified = HttpDates.parse(lastModified);
        return date.isPresent() && modified.isPresent() && date.get().equals(modified.get());
    }
}
