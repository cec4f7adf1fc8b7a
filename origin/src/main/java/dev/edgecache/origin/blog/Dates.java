package dev.edgecache.origin.blog;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Date formats of the blog's pages and feeds, always UTC so a page renders the same everywhere. */
final class Dates {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private Dates() {}

    /** {@code 2026-11-27}. */
    static String day(long epochMillis) {
        return DAY.format(Instant.ofEpochMilli(epochMillis));
    }

    /** RFC 3339, second precision: {@code 2026-11-27T10:15:30Z}. */
    static String timestamp(long epochMillis) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis / 1000 * 1000));
    }
}
