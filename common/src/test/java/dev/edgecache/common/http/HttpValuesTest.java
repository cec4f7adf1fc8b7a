package dev.edgecache.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpValuesTest {
    @Test
    void cacheControlDirectivesAreCaseInsensitiveAndQuotedArgumentsUnquoted() {
        CacheControl cc = CacheControl.parse(List.of("Public, MAX-AGE=60", "private=\"set-cookie, x\", s-maxage=5"));
        assertThat(cc.has("public")).isTrue();
        assertThat(cc.seconds("max-age")).hasValue(60);
        assertThat(cc.seconds("s-maxage")).hasValue(5);
        assertThat(cc.argument("private")).contains("set-cookie, x");
        assertThat(cc.isPrivate()).isTrue();
    }

    @Test
    void repeatedDirectivesAreConflicts() { // RFC 9111 §4.2.1
        assertThat(CacheControl.parse("max-age=1, max-age=2").hasConflicts()).isTrue();
        assertThat(CacheControl.parse("max-age=1, max-age=2").seconds("max-age"))
                .hasValue(1);
    }

    @Test
    void noCacheWithFieldNamesIsNotUnqualifiedNoCache() {
        assertThat(CacheControl.parse("no-cache").isNoCache()).isTrue();
        assertThat(CacheControl.parse("no-cache=\"set-cookie\"").isNoCache()).isFalse();
        assertThat(CacheControl.parse("no-store").isNoStore()).isTrue();
        assertThat(CacheControl.parse((String) null).isNoStore()).isFalse();
    }

    @Test
    void malformedDeltaSecondsAreIgnoredAndHugeOnesCapped() {
        assertThat(CacheControl.parse("max-age=-1").seconds("max-age")).isEmpty();
        assertThat(CacheControl.parse("max-age=99999999999999999999").seconds("max-age"))
                .hasValue(Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Sun, 06 Nov 1994 08:49:37 GMT|1994-11-06T08:49:37Z",
                "Sunday, 06-Nov-94 08:49:37 GMT|1994-11-06T08:49:37Z",
                "Sun Nov  6 08:49:37 1994|1994-11-06T08:49:37Z",
            })
    void httpDatesInAllThreeForms(String text, String instant) { // RFC 9110 §5.6.7
        assertThat(HttpDates.parse(text)).contains(Instant.parse(instant));
    }

    @Test
    void httpDatesFormatAsImfFixdate() {
        assertThat(HttpDates.format(Instant.parse("1994-11-06T08:49:37Z"))).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDates.parse("yesterday")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"a\"|\"a\"|true",
                "W/\"a\"|\"a\"|true", // weak comparison (RFC 9110 §13.1.2)
                "\"b\", \"a\"|\"a\"|true",
                "*|\"a\"|true",
                "\"b\"|\"a\"|false",
                "W/\"a\"|W/\"a\"|true", // an origin's weak tag stored verbatim matches itself
                "\"a\"|W/\"a\"|true", // and its strong twin
                "W/\"b\", W/\"a\"|W/\"a\"|true",
                "W/\"a\"|W/\"a-gzip\"|false", // another coding is another representation (§8.8.3)
            })
    void ifNoneMatchUsesWeakComparison(String header, String etag, boolean fails) {
        assertThat(EntityTags.noneMatchFails(header, etag)).isEqualTo(fails);
    }

    @ParameterizedTest(name = "{0}: valid {1}, weak {2}, strong {3}")
    @CsvSource(
            delimiter = '|',
            value = { // RFC 9110 §8.8.3: entity-tag = [ weak ] opaque-tag; opaque-tag = DQUOTE *etagc DQUOTE
                "\"abc\"|true|false|true",
                "W/\"abc\"|true|true|false",
                "\"\"|true|false|true", // an empty opaque-tag is allowed
                "W/\"\"|true|true|false",
                "W/\"abc-gzip\"|true|true|false", // what EntityTags.forCoding makes of a weak tag
                "abc|false|false|false", // no quotes
                "w/\"abc\"|false|false|false", // the weak indicator is case-sensitive
                "W/abc|false|false|false",
                "\"a\"b\"|false|false|true", // DQUOTE is not an etagc
                "\"a b\"|false|false|true", // nor is SP
                "\"|false|false|false",
            })
    void entityTagSyntax(String etag, boolean valid, boolean weak, boolean strong) {
        assertThat(EntityTags.isValid(etag)).isEqualTo(valid);
        assertThat(EntityTags.isWeak(etag)).isEqualTo(weak);
        assertThat(EntityTags.isStrong(etag)).isEqualTo(strong); // unchanged, loose: only the quotes are checked
    }

    @Test
    void bodyEtagsAreStrongAndStable() {
        String tag = EntityTags.ofBody("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(EntityTags.isStrong(tag)).isTrue();
        assertThat(tag).isEqualTo(EntityTags.ofBody("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
