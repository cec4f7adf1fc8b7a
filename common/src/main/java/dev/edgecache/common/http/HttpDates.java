package dev.edgecache.common.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * HTTP-date values (RFC 9110 §5.6.7): formats IMF-fixdate, parses it and the two obsolete forms a recipient must
 * accept (RFC 850 and asctime). Parsing ignores case ("HTTP-date is case sensitive", but caches are asked to be
 * liberal: all four of nginx, Squid, Varnish and Traffic Server read {@code THU, 18 AUG 2050 ... gmt}) and is strict
 * in everything else, so that a malformed date is invalid, which for {@code Expires} means "already expired" (RFC
 * 9111 §5.3): a one-digit hour, a two-digit year in IMF-fixdate, a zone other than GMT, doubled spaces, dashes.
 *
 * <p>Not {@link DateTimeFormatter#RFC_1123_DATE_TIME}: it parses leniently (one-digit hours, two-digit years,
 * numeric offsets, missing seconds), so it would read several dates RFC 9110 calls invalid as valid future ones.
 */
public final class HttpDates {
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter IMF_FIXDATE_PARSER = strict(
            new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'"));
    private static final DateTimeFormatter RFC_850 = strict(new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, 1970) // two-digit years: 1970..2069
            .appendPattern(" HH:mm:ss 'GMT'"));
    private static final DateTimeFormatter ASCTIME =
            strict(new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern("EEE MMM ppd HH:mm:ss yyyy"));

    private HttpDates() {}

    private static DateTimeFormatter strict(DateTimeFormatterBuilder builder) {
        // SMART (not STRICT): 'yyyy' is year-of-era, which STRICT would refuse to resolve without an era
        return builder.toFormatter(Locale.US)
                .withResolverStyle(ResolverStyle.SMART)
                .withZone(ZoneOffset.UTC);
    }

    public static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    /** Parses an HTTP-date; an invalid date is empty (RFC 9111 §4.2: treat as in the past where it matters). */
    public static Optional<Instant> parse(@Nullable String text) {
        if (text == null) return Optional.empty();
        String t = text.strip();
        for (DateTimeFormatter f : new DateTimeFormatter[] {IMF_FIXDATE_PARSER, RFC_850, ASCTIME}) {
            try {
                return Optional.of(Instant.from(f.parse(t)));
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return Optional.empty();
    }
}
