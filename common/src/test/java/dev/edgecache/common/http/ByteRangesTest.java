package dev.edgecache.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9110 §14.1.1 (range syntax), §14.1.2 (byte ranges), §14.2 (Range), §14.4 (Content-Range). */
class ByteRangesTest {
    @ParameterizedTest(name = "[{0}] of 100 bytes -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "bytes=0-9|PARTIAL|bytes 0-9/100",
                "bytes=10-19|PARTIAL|bytes 10-19/100",
                "bytes=90-|PARTIAL|bytes 90-99/100", // open-ended
                "bytes=90-500|PARTIAL|bytes 90-99/100", // last-pos past the end is clamped (§14.1.2)
                "bytes=-10|PARTIAL|bytes 90-99/100", // suffix
                "bytes=-500|PARTIAL|bytes 0-99/100", // suffix longer than the representation
                "bytes=99-99|PARTIAL|bytes 99-99/100",
                "Bytes = 0-0|PARTIAL|bytes 0-0/100", // the unit is case-insensitive
                "bytes=0-0,|PARTIAL|bytes 0-0/100", // empty list elements are ignored (§5.6.1)
                "bytes=0-99999999999999999999999|PARTIAL|bytes 0-99/100",
                "bytes=100-|UNSATISFIABLE|bytes */100", // first-pos at the end (§14.1.2)
                "bytes=500-600|UNSATISFIABLE|bytes */100",
                "bytes=-0|UNSATISFIABLE|bytes */100", // zero-length suffix
                "bytes=0-1,5-6|IGNORE|", // disjoint ranges: the whole representation (§14.2 allows it)
                "bytes=0-1,0-1|PARTIAL|bytes 0-1/100", // overlapping ranges coalesce (§14.2)
                "bytes=0-4,3-9|PARTIAL|bytes 0-9/100",
                "bytes=5-9,0-4|PARTIAL|bytes 0-9/100", // adjacent, in any order
                "bytes=-5,90-|PARTIAL|bytes 90-99/100", // a suffix and an open range
                "bytes=0-1,500-|PARTIAL|bytes 0-1/100", // only the satisfiable ones count (§14.1.1)
                "bytes=500-,600-700|UNSATISFIABLE|bytes */100", // none satisfiable (§15.5.17)
                "bytes=-0,100-|UNSATISFIABLE|bytes */100",
                "bytes=0-1,x|IGNORE|", // one malformed range-spec invalidates the header
                "bytes=0-0,1-1,2-2,3-3,4-4,5-5,6-6,7-7,8-8,9-9,10-10,11-11,12-12,13-13,14-14,15-15,16-16|IGNORE|", // §17.15
                "bytes=0-0,1-1,2-2,3-3,4-4,5-5,6-6,7-7,8-8,9-9,10-10,11-11,12-12,13-13,14-14,15-15|PARTIAL|bytes 0-15/100",
                "bytes=9-1|IGNORE|", // last-pos before first-pos is invalid (§14.1.1)
                "bytes=a-b|IGNORE|",
                "bytes=|IGNORE|",
                "bytes=5|IGNORE|",
                "items=0-1|IGNORE|", // an unknown range unit is ignored
                "0-1|IGNORE|",
            })
    void evaluatesAgainstALength(String header, ByteRanges.Kind kind, String contentRange) {
        ByteRanges.Decision d = ByteRanges.evaluate(header, 100);
        assertThat(d.kind()).isEqualTo(kind);
        if (kind != ByteRanges.Kind.IGNORE) assertThat(d.contentRange(100)).isEqualTo(contentRange);
    }

    @ParameterizedTest(name = "[{0}] of an empty body -> {1}")
    @CsvSource({"bytes=0-, UNSATISFIABLE", "bytes=-5, UNSATISFIABLE", "bytes=0-0, UNSATISFIABLE"})
    void nothingOfAnEmptyBodyIsSatisfiable(String header, ByteRanges.Kind kind) {
        assertThat(ByteRanges.evaluate(header, 0).kind()).isEqualTo(kind);
    }
}
