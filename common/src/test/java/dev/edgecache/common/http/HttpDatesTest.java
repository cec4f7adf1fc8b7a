package dev.edgecache.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HTTP-date parsing (RFC 9110 §5.6.7): the three forms a recipient must accept, and what is invalid. */
class HttpDatesTest {
    private static final Instant WHEN = Instant.parse("2050-08-18T02:01:18Z");

    @ParameterizedTest(name = "{0}: [{1}]")
    @CsvSource(
            delimiter = '|',
            value = {
                "IMF-fixdate                        | Thu, 18 Aug 2050 02:01:18 GMT",
                "obsolete RFC 850                   | Thursday, 18-Aug-50 02:01:18 GMT",
                "obsolete asctime                   | Thu Aug 18 02:01:18 2050",
                "weekday in upper case              | THU, 18 Aug 2050 02:01:18 GMT",
                "month in upper case                | Thu, 18 AUG 2050 02:01:18 GMT",
                "zone in lower case                 | Thu, 18 Aug 2050 02:01:18 gmt",
                "surrounding whitespace             | '  Thu, 18 Aug 2050 02:01:18 GMT '",
                "a day name not checked (as nginx, Squid, ATS) | Mon, 18 Aug 2050 02:01:18 GMT",
                "asctime, day name not checked (expires-parse) | Mon Aug 18 02:01:18 2050",
            })
    void validForms(String rule, String text) {
        assertThat(HttpDates.parse(text)).as(rule).contains(WHEN);
    }

    @ParameterizedTest(name = "{0}: [{1}]")
    @CsvSource(
            delimiter = '|',
            value = { // the invalid Expires of http-cache-tests' expires-parse.mjs
                "the value 0                        | 0",
                "UTC is not GMT                     | Thu, 18 Aug 2050 02:01:18 UTC",
                "another zone                       | Thu, 18 Aug 2050 02:01:18 AEST",
                "numeric offset                     | Thu, 18 Aug 2050 02:01:18 +0000",
                "two-digit year in IMF-fixdate      | Thu, 18 Aug 50 02:01:18 GMT",
                "missing comma                      | Thu 18 Aug 2050 02:01:18 GMT",
                "multiple spaces                    | Thu, 18  Aug  2050 02:01:18 GMT",
                "date dashes in IMF-fixdate         | Thu, 18-Aug-2050 02:01:18 GMT",
                "time periods                       | Thu, 18 Aug 2050 02.01.18 GMT",
                "one-digit hour                     | Thu, 18 Aug 2050 2:01:18 GMT",
                "one-digit day                      | Thu, 8 Aug 2050 02:01:18 GMT",
                "missing seconds                    | Thu, 18 Aug 2050 02:01 GMT",
                "no such day                        | Thu, 31 Feb 2050 02:01:18 GMT",
                "no such hour                       | Thu, 18 Aug 2050 24:01:18 GMT",
                "no day name                        | Xyz, 18 Aug 2050 02:01:18 GMT",
                "trailing text                      | Thu, 18 Aug 2050 02:01:18 GMT x",
                "two dates (two field lines joined) | Thu, 18 Aug 2050 02:01:18 GMT, Thu, 18 Aug 2050 02:01:19 GMT",
            })
    void invalidForms(String rule, String text) {
        assertThat(HttpDates.parse(text)).as(rule).isEmpty();
    }
}
