package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.store.Header;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Freshness lifetime, age and stale permissions: one row per rule, each naming its RFC section. */
class FreshnessTest {
    /** 2026-01-01T00:00:00Z, the edge's clock when the response arrives. */
    private static final long NOW = 1_767_225_600_000L;

    private static final String DATE = "Thu, 01 Jan 2026 00:00:00 GMT";
    private static final String DATE_MINUS_10S = "Wed, 31 Dec 2025 23:59:50 GMT";

    /** {@code "Name: value; Name: value"} → headers ({@code ;} separates fields so values keep their commas). */
    private static List<Header> headers(String spec) {
        List<Header> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) return out;
        for (String field : spec.split(";")) {
            int colon = field.indexOf(':');
            out.add(new Header(
                    field.substring(0, colon).trim(), field.substring(colon + 1).trim()));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}: {2} → {3}s")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "RFC 9111 §5.2.2.1 max-age                      |200| Cache-Control: max-age=60                                  | 60",
                "RFC 9111 §5.2.2.10 s-maxage over max-age       |200| Cache-Control: max-age=60, s-maxage=300                    | 300",
                "RFC 9111 §5.3 Expires − Date                   |200| Date: " + DATE
                        + "; Expires: Thu, 01 Jan 2026 00:02:00 GMT | 120",
                "RFC 9111 §5.3 max-age over Expires             |200| Cache-Control: max-age=5; Expires: Thu, 01 Jan 2026 00:02:00 GMT| 5",
                "RFC 9111 §5.3 invalid Expires is in the past   |200| Date: " + DATE
                        + "; Expires: 0                           | 0",
                "RFC 9111 §4.2.1 Expires without Date uses receipt|200| Expires: Thu, 01 Jan 2026 00:01:00 GMT                  | 60",
                "RFC 9213 §2.1 CDN-Cache-Control first          |200| CDN-Cache-Control: max-age=600; Cache-Control: s-maxage=60 | 600",
                "RFC 9213 §2.1 CDN-Cache-Control ignores Expires|200| CDN-Cache-Control: public; Expires: Thu, 01 Jan 2026 00:02:00 GMT | 0",
                "Surrogate-Control over Cache-Control           |200| Surrogate-Control: max-age=90; Cache-Control: max-age=5   | 90",
                "CDN-Cache-Control over Surrogate-Control       |200| Surrogate-Control: max-age=90; CDN-Cache-Control: max-age=30 | 30",
                "RFC 9111 §4.2.1 duplicate directive is stale   |200| Cache-Control: max-age=60, max-age=70                      | 0",
                "RFC 9111 §4.2.2 heuristic 10% of Last-Modified |200| Date: " + DATE
                        + "; Last-Modified: Thu, 01 Jan 2026 00:00:00 GMT | 0",
                "RFC 9111 §4.2.2 heuristic, capped at a day     |200| Date: " + DATE
                        + "; Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT | 86400",
                "RFC 9111 §4.2.2 no heuristic for 302           |302| Date: " + DATE
                        + "; Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT | 0",
                "RFC 9111 §4.2.2 public allows a heuristic      |302| Cache-Control: public; Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT | 86400",
                "RFC 9111 §4.2.2 no heuristic when explicit     |200| Cache-Control: max-age=7; Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT | 7",
                "no freshness information                       |200| -                                                          | 0",
                // RFC 9213 §2.1: a valid CDN-Cache-Control replaces Cache-Control and Expires entirely
                "RFC 9213 §2.1 short CDN max-age over long CC    |200| Cache-Control: max-age=3600; CDN-Cache-Control: max-age=1 | 1",
                "RFC 9213 §2.1 long CDN max-age over short CC    |200| Cache-Control: max-age=1; CDN-Cache-Control: max-age=3600 | 3600",
                "RFC 9213 §2.1 CDN max-age=0 beats future Expires|200| CDN-Cache-Control: max-age=0; Date: " + DATE
                        + "; Expires: Thu, 01 Jan 2026 03:00:00 GMT | 0",
                "RFC 9213 §2.1 CDN max-age with invalid Expires  |200| CDN-Cache-Control: max-age=3600; Expires: 0 | 3600",
                "RFC 9213 §2.2 extension directive is ignored    |200| CDN-Cache-Control: foobar, max-age=3600 | 3600",
                "RFC 9213 §2.2 integer beyond 2^31               |200| CDN-Cache-Control: max-age=99999999999 | 99999999999",
                "RFC 9213 §2.2 invalid SF (upper case) ignored   |200| CDN-Cache-Control: MaX-aGe=3600; Cache-Control: max-age=5 | 5",
                "RFC 9213 §2.2 invalid SF (space before =)       |200| CDN-Cache-Control: max-age =100; Cache-Control: max-age=1 | 1",
                "RFC 9213 §2.2 invalid SF (space after =)        |200| CDN-Cache-Control: max-age= 100; Cache-Control: max-age=1 | 1",
                "RFC 9213 §2.2 wrong type (string) ignored       |200| CDN-Cache-Control: max-age=\"100\"; Cache-Control: max-age=1 | 1",
                "RFC 9213 §2.2 garbage member ignored            |200| CDN-Cache-Control: max-age=100, &&&&&; Cache-Control: max-age=1 | 1",
                // RFC 9111 §5.2 / §4.2.1: directive parsing
                "RFC 9111 §5.2 directive names ignore case       |200| Cache-Control: MaX-AgE=60 | 60",
                "RFC 9111 §5.2 leading zeros                     |200| Cache-Control: max-age=003600 | 3600",
                "RFC 9111 §5.2 quoted max-age is read            |200| Cache-Control: max-age=\"3600\" | 3600",
                "RFC 9111 §5.2 max-age inside a quoted string    |200| Cache-Control: extension=\"max-age=3600\", max-age=1 | 1",
                "RFC 9111 §5.2 max-age inside a quoted string, after |200| Cache-Control: max-age=1, extension=\"max-age=3600\" | 1",
                "RFC 9111 §4.2.1 negative max-age is invalid, stale |200| Cache-Control: max-age=-1; Expires: Thu, 01 Jan 2026 03:00:00 GMT | 0",
                "RFC 9111 §4.2.1 decimal max-age is invalid, stale |200| Cache-Control: max-age=3600.5 | 0",
                "RFC 9111 §4.2.1 max-age 2^31                    |200| Cache-Control: max-age=2147483648 | 2147483648",
                "RFC 9111 §4.2.1 max-age 0 beats future Expires  |200| Cache-Control: max-age=0; Date: " + DATE
                        + "; Expires: Thu, 01 Jan 2026 03:00:00 GMT | 0",
                "RFC 9111 §4.2.1 repeated identical directive is no conflict |200| Cache-Control: max-age=60, max-age=60 | 60",
                "RFC 9111 §4.2.1 s-maxage over longer max-age, two lines |200| Cache-Control: max-age=3600; Cache-Control: s-maxage=1 | 1",
                // RFC 9111 §5.3 with RFC 9110 §5.6.7 date forms
                "RFC 9110 §5.6.7 Expires in RFC 850 form         |200| Date: " + DATE
                        + "; Expires: Thursday, 01-Jan-26 00:01:00 GMT | 60",
                "RFC 9110 §5.6.7 Expires in asctime form         |200| Date: " + DATE
                        + "; Expires: Thu Jan  1 00:01:00 2026 | 60",
                "RFC 9110 §5.6.7 Expires weekday in upper case   |200| Date: " + DATE
                        + "; Expires: THU, 01 Jan 2026 00:01:00 GMT | 60",
                "RFC 9110 §5.6.7 Expires month in upper case     |200| Date: " + DATE
                        + "; Expires: Thu, 01 JAN 2026 00:01:00 GMT | 60",
                "RFC 9110 §5.6.7 Expires zone in lower case      |200| Date: " + DATE
                        + "; Expires: Thu, 01 Jan 2026 00:01:00 gmt | 60",
                "RFC 9111 §5.3 Expires in UTC is invalid         |200| Date: " + DATE
                        + "; Expires: Thu, 01 Jan 2026 00:01:00 UTC | 0",
                "RFC 9111 §5.3 Expires in AEST is invalid        |200| Date: " + DATE
                        + "; Expires: Thu, 01 Jan 2026 00:01:00 AEST | 0",
                "RFC 9111 §5.3 Expires two-digit year is invalid |200| Date: " + DATE
                        + "; Expires: Thu, 01 Jan 26 00:01:00 GMT | 0",
                "RFC 9111 §5.3 Expires without comma is invalid  |200| Date: " + DATE
                        + "; Expires: Thu 01 Jan 2026 00:01:00 GMT | 0",
                "RFC 9111 §5.3 Expires double spaces are invalid |200| Date: " + DATE
                        + "; Expires: Thu, 01  Jan  2026 00:01:00 GMT | 0",
                "RFC 9111 §5.3 Expires date dashes are invalid   |200| Date: " + DATE
                        + "; Expires: Thu, 01-Jan-2026 00:01:00 GMT | 0",
                "RFC 9111 §5.3 Expires time periods are invalid  |200| Date: " + DATE
                        + "; Expires: Thu, 01 Jan 2026 00.01.00 GMT | 0",
                "RFC 9111 §5.3 Expires one-digit hour is invalid |200| Date: " + DATE
                        + "; Expires: Thu, 01 Jan 2026 1:01:00 GMT | 0",
                "RFC 9111 §5.3 two different Expires are invalid |200| Date: " + DATE
                        + "; Expires: Thu, 01 Jan 2026 00:01:00 GMT; Expires: Thu, 01 Jan 2026 00:02:00 GMT | 0",
                "RFC 9111 §4.2.1 Expires before Date is stale    |200| Date: Thu, 01 Jan 2026 00:06:40 GMT; Expires: Thu, 01 Jan 2026 00:05:00 GMT | 0",
                "RFC 9111 §4.2.1 Expires equal to Date is stale  |200| Date: " + DATE + "; Expires: " + DATE + " | 0",
                // RFC 9111 §4.2.2 with RFC 9110 §15.1: heuristically cacheable statuses
                "RFC 9111 §4.2.2 heuristic 10%                   |200| Date: " + DATE
                        + "; Last-Modified: Wed, 31 Dec 2025 23:43:20 GMT | 100",
                "RFC 9110 §15.1 204 heuristically cacheable      |204| Date: " + DATE
                        + "; Last-Modified: Wed, 31 Dec 2025 23:43:20 GMT | 100",
                "RFC 9110 §15.1 404 heuristically cacheable      |404| Date: " + DATE
                        + "; Last-Modified: Wed, 31 Dec 2025 23:43:20 GMT | 100",
                "RFC 9110 §15.1 405 heuristically cacheable      |405| Date: " + DATE
                        + "; Last-Modified: Wed, 31 Dec 2025 23:43:20 GMT | 100",
                "RFC 9110 §15.1 414 heuristically cacheable      |414| Date: " + DATE
                        + "; Last-Modified: Wed, 31 Dec 2025 23:43:20 GMT | 100",
                "RFC 9110 §15.1 501 heuristically cacheable      |501| Date: " + DATE
                        + "; Last-Modified: Wed, 31 Dec 2025 23:43:20 GMT | 100",
                "RFC 9110 §15.1 201 is not                       |201| Date: " + DATE
                        + "; Last-Modified: Wed, 31 Dec 2025 23:43:20 GMT | 0",
                "RFC 9110 §15.1 403 is not                       |403| Date: " + DATE
                        + "; Last-Modified: Wed, 31 Dec 2025 23:43:20 GMT | 0",
                "RFC 9110 §15.1 503 is not                       |503| Date: " + DATE
                        + "; Last-Modified: Wed, 31 Dec 2025 23:43:20 GMT | 0",
                "RFC 9111 §4.2.2 599 with public is              |599| Cache-Control: public; Date: " + DATE
                        + "; Last-Modified: Wed, 31 Dec 2025 23:43:20 GMT | 100",
            })
    void lifetime(String rule, int status, String headers, long seconds) {
        assertThat(Freshness.of(status, headers(headers), NOW).lifetimeMillis())
                .as(rule)
                .isEqualTo(seconds * 1000);
    }

    @Test
    void aSingleQuotedMaxAgeIsInvalidSoStale() { // RFC 9111 §4.2.1 ("invalid freshness information"), cc-parse
        assertThat(Freshness.of(200, List.of(new Header("Cache-Control", "max-age='3600'")), NOW)
                        .lifetimeMillis())
                .isZero();
    }

    @ParameterizedTest(name = "{0}: cap {1}s → {2}s")
    @CsvSource(
            delimiter = '|',
            value = {
                "RFC 9111 §4.2.2 10% under the route's cap  | 3600 | 100",
                "RFC 9111 §4.2.2 capped by the route        | 30   | 30",
                "heuristic-max: 0s gives no heuristic       | 0    | 0",
            })
    void theHeuristicIsCappedPerRoute(String rule, long capSeconds, long seconds) {
        List<Header> h = headers("Date: " + DATE + "; Last-Modified: Wed, 31 Dec 2025 23:43:20 GMT");
        assertThat(Freshness.of(200, h, NOW, Duration.ofSeconds(capSeconds)).lifetimeMillis())
                .as(rule)
                .isEqualTo(seconds * 1000);
    }

    @ParameterizedTest(name = "{0}: {1} → {2}s")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "RFC 9111 §4.2.3 Age header                        | Age: 30; Date: " + DATE + "            | 30",
                "RFC 9111 §4.2.3 apparent age from Date             | Date: " + DATE_MINUS_10S + "           | 10",
                "RFC 9111 §4.2.3 the larger of Age and apparent age | Age: 3; Date: " + DATE_MINUS_10S + "   | 10",
                "RFC 9111 §4.2.3 a Date in the future is age 0      | Date: Thu, 01 Jan 2026 00:05:00 GMT    | 0",
                "RFC 9111 §5.1 malformed Age is ignored             | Age: soon                             | 0",
                "RFC 9111 §5.1 negative Age is ignored              | Age: -7200                            | 0",
                "RFC 9111 §5.1 decimal Age is ignored               | Age: 7200.0                           | 0",
                "RFC 9111 §5.1 list Age: the first member counts    | Age: 7200, 0                          | 7200",
                "RFC 9111 §5.1 list Age: the first member counts (0)| Age: 0, 7200                          | 0",
                "RFC 9111 §5.1 two Age lines: the first counts      | Age: 7200; Age: 0                     | 7200",
                "RFC 9111 §5.1 two Age lines: the first counts (0)  | Age: 0; Age: 7200                     | 0",
                "RFC 9111 §5.1 Age 2^31 - 1                         | Age: 2147483647                       | 2147483647",
                "RFC 9111 §5.1 Age beyond 2^31 is 2^31              | Age: 99999999999999                   | 2147483648",
                "no Date, no Age                                    | -                                     | 0",
            })
    void initialAge(String rule, String headers, long seconds) {
        assertThat(Freshness.of(200, headers(headers), NOW).initialAgeMillis())
                .as(rule)
                .isEqualTo(seconds * 1000);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "RFC 5861 §3 stale-while-revalidate          | Cache-Control: max-age=60, stale-while-revalidate=30           | 30 | 0  | false | false",
                "RFC 5861 §4 stale-if-error                  | Cache-Control: max-age=60, stale-if-error=300                  | 0  | 300| false | false",
                "RFC 9111 §5.2.2.2 must-revalidate forbids   | Cache-Control: max-age=60, must-revalidate, stale-if-error=300 | 0  | 0  | true  | false",
                "RFC 9111 §5.2.2.8 proxy-revalidate forbids  | Cache-Control: max-age=60, proxy-revalidate, stale-while-revalidate=9 | 0 | 0 | true | false",
                "RFC 9111 §5.2.2.10 s-maxage forbids it too  | Cache-Control: s-maxage=60, stale-if-error=300, stale-while-revalidate=9 | 0 | 0 | true | false",
                "RFC 9111 §5.2.2.4 no-cache revalidates      | Cache-Control: no-cache, stale-while-revalidate=9             | 0  | 0  | false | true",
                "RFC 9111 §5.2.2.4 qualified no-cache only withholds its fields | Cache-Control: max-age=60, no-cache=\"Set-Cookie\", stale-if-error=9 | 0 | 9 | false | false",
                "RFC 9213 directives come from CDN-Cache-Control | CDN-Cache-Control: max-age=60, stale-while-revalidate=5; Cache-Control: no-cache | 5 | 0 | false | false",
            })
    void stalePermissions(String rule, String headers, long swr, long sie, boolean mustRevalidate, boolean noCache) {
        Freshness.Lifetime l = Freshness.of(200, headers(headers), NOW);
        assertThat(l.staleWhileRevalidateMillis()).as(rule).isEqualTo(swr * 1000);
        assertThat(l.staleIfErrorMillis()).as(rule).isEqualTo(sie * 1000);
        assertThat(l.mustRevalidate()).as(rule).isEqualTo(mustRevalidate);
        assertThat(l.noCache()).as(rule).isEqualTo(noCache);
    }
}
