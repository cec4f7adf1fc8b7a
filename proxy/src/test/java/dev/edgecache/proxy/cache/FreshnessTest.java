package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.store.Header;
import java.util.ArrayList;
import java.util.List;
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
            })
    void lifetime(String rule, int status, String headers, long seconds) {
        assertThat(Freshness.of(status, headers(headers), NOW).lifetimeMillis())
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
                "RFC 9111 §5.2.2.4 no-cache revalidates      | Cache-Control: no-cache, stale-while-revalidate=9             | 0  | 0  | false | true",
                "RFC 9111 §5.2.2.4 qualified no-cache too    | Cache-Control: max-age=60, no-cache=\"Set-Cookie\"            | 0  | 0  | false | true",
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
