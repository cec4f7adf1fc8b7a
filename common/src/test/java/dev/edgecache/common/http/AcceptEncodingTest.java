package dev.edgecache.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9110 §12.5.3 (Accept-Encoding) and §12.4.2 (quality values). */
class AcceptEncodingTest {
    private static final List<String> BR_GZIP = List.of("br", "gzip");

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "NULL",
            value = {
                "NULL|identity", // §12.5.3: no header, no preference: identity
                "''|identity", // an empty value: no coding wanted
                "gzip|gzip",
                "GZIP|gzip", // codings are case-insensitive (§8.4.1)
                "x-gzip|gzip", // §8.4.1.3: x-gzip is gzip
                "gzip, deflate, br|br", // equal weights: the server's preference
                "gzip, deflate, br, zstd|br",
                "br;q=0.5, gzip|gzip", // highest weight wins
                "br;q=0.5, gzip;q=0.8|gzip",
                "gzip;q=0|identity", // q=0: not acceptable
                "gzip;q=0.001|gzip", // an implicit identity ranks below any listed coding
                "gzip;q=0.5, identity|identity", // an explicit identity competes on weight
                "identity;q=0, gzip;q=0.2|gzip",
                "*|br", // any coding
                "*;q=0.1, gzip;q=0.5|gzip",
                "*;q=0, gzip|gzip",
                "*;q=0|identity", // nothing acceptable: the header is disregarded (§12.1)
                "deflate|identity", // nothing we have is listed: identity is implicitly acceptable
                "gzip;q=1.5|identity", // an invalid qvalue never wins
                "gzip; Q=0.9|gzip",
                "compress, gzip;q=0.000|identity",
            })
    void selectsTheBestAcceptableCoding(String header, String expected) {
        assertThat(AcceptEncoding.select(header, BR_GZIP)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{0}] accepts identity: {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "NULL",
            value = {
                "NULL|true",
                "gzip|true", // identity is acceptable by default (§12.5.3)
                "identity;q=0|false",
                "*;q=0|false", // excluded by * without a more specific identity entry
                "*;q=0, identity|true",
                "gzip, identity;q=0.5|true",
            })
    void identityIsAcceptableUnlessExcluded(String header, boolean accepted) {
        assertThat(AcceptEncoding.acceptsIdentity(header)).isEqualTo(accepted);
    }

    @ParameterizedTest(name = "[{0}] with only gzip stored -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {"br|identity", "br, gzip|gzip", "*|gzip"})
    void onlyStoredCodingsAreChosen(String header, String expected) {
        assertThat(AcceptEncoding.select(header, List.of("gzip"))).isEqualTo(expected);
    }
}
