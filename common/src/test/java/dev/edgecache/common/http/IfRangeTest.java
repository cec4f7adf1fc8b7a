package dev.edgecache.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9110 §13.1.5 (If-Range) with §8.8.3.2 (strong comparison). */
class IfRangeTest {
    private static final String ETAG = "\"v1\"";
    private static final String LAST_MODIFIED = "Tue, 15 Nov 1994 08:12:31 GMT";
    private static final String DATE = "Tue, 15 Nov 1994 08:12:32 GMT"; // one second later: a strong Last-Modified

    @ParameterizedTest(name = "If-Range: {0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "\"v1\"|true", // strong match
                "\"v2\"|false",
                "W/\"v1\"|false", // a weak tag never matches (strong comparison)
                "Tue, 15 Nov 1994 08:12:31 GMT|true", // exactly Last-Modified
                "Tuesday, 15-Nov-94 08:12:31 GMT|true", // obsolete date forms parse too (§5.6.7)
                "Tue, 15 Nov 1994 08:12:32 GMT|false", // any other date
                "Wed, 16 Nov 1994 08:12:31 GMT|false",
                "yesterday|false",
            })
    void holdsOnlyForTheCurrentRepresentation(String ifRange, boolean holds) {
        assertThat(IfRange.holds(ifRange, ETAG, LAST_MODIFIED, DATE)).isEqualTo(holds);
    }

    @ParameterizedTest(name = "If-Range: {0} without Last-Modified -> false")
    @CsvSource(
            delimiter = '|',
            value = {"Tue, 15 Nov 1994 08:12:31 GMT"})
    void aDateNeverHoldsWithoutLastModified(String ifRange) {
        assertThat(IfRange.holds(ifRange, ETAG, null, DATE)).isFalse();
    }

    @ParameterizedTest(name = "Date: {0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Tue, 15 Nov 1994 08:12:32 GMT|true", // one second after Last-Modified: strong
                "Wed, 16 Nov 1994 08:12:31 GMT|true",
                "Tue, 15 Nov 1994 08:12:31 GMT|false", // the same second: weak (§8.8.2.2)
                "Tue, 15 Nov 1994 08:12:30 GMT|false",
                "not a date|false",
            })
    void aDateHoldsOnlyWhenTheEntrysDateMakesLastModifiedStrong(String date, boolean holds) { // §8.8.2.2
        assertThat(IfRange.holds(LAST_MODIFIED, ETAG, LAST_MODIFIED, date)).isEqualTo(holds);
        assertThat(IfRange.holds(LAST_MODIFIED, ETAG, LAST_MODIFIED, null)).isFalse();
        assertThat(IfRange.holds(ETAG, ETAG, LAST_MODIFIED, null))
                .as("an entity-tag needs no Date")
                .isTrue();
    }

    @ParameterizedTest(name = "If-Range: {0} on a stored weak tag -> false")
    @CsvSource(
            delimiter = '|',
            value = {"W/\"v1\"", "\"v1\""})
    void aStoredWeakTagNeverHolds(String ifRange) { // §13.1.5: a weak tag never strongly matches, so the full 200
        assertThat(IfRange.holds(ifRange, "W/\"v1\"", LAST_MODIFIED, DATE)).isFalse();
    }

    @ParameterizedTest(name = "etag {0} + {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "\"abc\"|gzip|\"abc-gzip\"|false",
                "\"abc\"|br|\"abc-br\"|false",
                "W/\"abc\"|gzip|W/\"abc-gzip\"|true", // an origin's weak tag stays weak
                "W/\"abc\"|br|W/\"abc-br\"|true",
            })
    void anEncodedCopyHasItsOwnTag(String etag, String coding, String expected, boolean weak) { // §8.8.3
        assertThat(EntityTags.forCoding(etag, coding)).isEqualTo(expected);
        assertThat(EntityTags.isValid(expected)).isTrue();
        assertThat(EntityTags.isWeak(expected)).isEqualTo(weak);
        assertThat(EntityTags.isStrong(expected)).isEqualTo(!weak);
    }
}
