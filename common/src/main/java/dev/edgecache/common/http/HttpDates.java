package dev.edgecache.common.http;

import java.text.ParsePosition;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
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
    private static final DateTimeFormatter IMF_FIXDATE_PARSER =
            parser(new DateTimeFormatterBuilder().appendPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'"));
    private static final DateTimeFormatter RFC_850 = parser(new DateTimeFormatterBuilder()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, 1970) // two-digit years: 1970..2069
            .appendPattern(" HH:mm:ss 'GMT'"));
    private static final DateTimeFormatter ASCTIME =
            parser(new DateTimeFormatterBuilder().appendPattern("EEE MMM ppd HH:mm:ss uuuu"));

    private HttpDates() {}

    private static DateTimeFormatter parser(DateTimeFormatterBuilder pattern) {
        return new DateTimeFormatterBuilder()
                .parseCaseInsensitive()
                .append(pattern.toFormatter(Locale.US))
                .toFormatter(Locale.US);
    }

    public static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    /**
     * Parses an HTTP-date; an invalid date is empty (RFC 9111 §4.2: treat as in the past where it matters). The day
     * name must be one, but is not checked against the date (nginx, Squid and Traffic Server do not either, and
     * the date is what the sender meant).
     */
    public static Optional<Instant> parse(@Nullable String text) {
        if (text == null) return Optional.empty();
        String t = text.strip();
        for (DateTimeFormatter f : new DateTimeFormatter[] {IMF_FIXDATE_PARSER, RFC_850, ASCTIME}) {
            ParsePosition position = new ParsePosition(0);
            TemporalAccessor fields = f.parseUnresolved(t, position);
            if (fields == null || position.getErrorIndex() >= 0 || position.getIndex() != t.length()) continue;
            try {
                return Optional.of(LocalDateTime.of(
                                (int) fields.getLong(ChronoField.YEAR),
                                (int) fields.getLong(ChronoField.MONTH_OF_YEAR),
                                (int) fields.getLong(ChronoField.DAY_OF_MONTH),
                                (int) fields.getLong(ChronoField.HOUR_OF_DAY),
                                (int) fields.getLong(ChronoField.MINUTE_OF_HOUR),
                                (int) fields.getLong(ChronoField.SECOND_OF_MINUTE))
                        .toInstant(ZoneOffset.UTC));
            } catch (DateTimeException e) {
                // 31 Feb, 25:00...: invalid
            }
        }
        return Optional.empty();
    }
}
