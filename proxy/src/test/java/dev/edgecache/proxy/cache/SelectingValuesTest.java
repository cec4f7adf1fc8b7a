package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9111 §4.1: when two requests' values of a selecting field match. Each row is two requests' lines of one field
 * and whether they must select the same variant; the reason cites the rule. Rows marked "suite" are the optional
 * {@code vary-normalise-*} tests of the http-cache-tests suite.
 */
class SelectingValuesTest {
    record Row(String reason, String field, List<String> a, List<String> b, boolean same) {
        @Override
        public String toString() {
            return reason + ": " + field + " " + a + (same ? " ≡ " : " ≢ ") + b;
        }
    }

    private static Row same(String reason, String field, List<String> a, List<String> b) {
        return new Row(reason, field, a, b, true);
    }

    private static Row differ(String reason, String field, List<String> a, List<String> b) {
        return new Row(reason, field, a, b, false);
    }

    static Stream<Row> rows() {
        return Stream.of(
                // fields the edge does not know: line combining and whitespace around list elements only
                same(
                        "§5.3 lines of a list combine (suite vary-normalise-combine)",
                        "foo",
                        List.of("1, 2"),
                        List.of("1", "2")),
                same("§5.6.1 OWS around commas (suite vary-normalise-space)", "foo", List.of("1,2"), List.of(" 1, 2 ")),
                same("§5.5 no leading or trailing whitespace, tabs too", "foo", List.of("\t1 "), List.of("1")),
                differ("different values", "foo", List.of("1"), List.of("2")),
                differ(
                        "§5.6.4 commas in a quoted string are not delimiters",
                        "foo",
                        List.of("\"a, b\""),
                        List.of("\"a,b\"")),
                differ(
                        "quoted-pair: an escaped quote does not end the string",
                        "foo",
                        List.of("\"a\\\", b\""),
                        List.of("\"a\\\",b\"")),
                differ("whitespace inside an unknown element is kept", "foo", List.of("a  b"), List.of("a b")),
                differ("case of an unknown field is kept", "foo", List.of("A"), List.of("a")),
                differ("empty elements of an unknown field are kept", "foo", List.of("1,,2"), List.of("1,2")),
                differ("order of an unknown list is kept", "foo", List.of("1, 2"), List.of("2, 1")),
                // Accept-Language, RFC 9110 §12.5.4
                same(
                        "§5.6.1 whitespace (suite vary-normalise-lang-space)",
                        "accept-language",
                        List.of("en, de"),
                        List.of(" en ,   de")),
                same(
                        "RFC 4647 §2 ranges are case-insensitive (suite vary-normalise-lang-case)",
                        "accept-language",
                        List.of("en, de"),
                        List.of("eN, De")),
                same("RFC 4647 §2 region subtags too", "accept-language", List.of("en-US"), List.of("en-us")),
                differ(
                        "RFC 3282 §3: equal weights keep their order (suite vary-normalise-lang-order, declined)",
                        "accept-language",
                        List.of("en, de"),
                        List.of("de, en")),
                same(
                        "§12.4.2 elements of different weight: order carries no meaning",
                        "accept-language",
                        List.of("de;q=0.5, en"),
                        List.of("en, de;q=0.5")),
                same(
                        "§12.4.2 q=1 is the default weight",
                        "accept-language",
                        List.of("en;q=1.0, de"),
                        List.of("en, de;q=1")),
                same(
                        "§12.4.2 trailing zeros and the case of q",
                        "accept-language",
                        List.of("de;q=0.50"),
                        List.of("de;Q=0.5")),
                same(
                        "§5.6.6 OWS around the weight's semicolon",
                        "accept-language",
                        List.of("de ; q=0.5"),
                        List.of("de;q=0.5")),
                differ("a weight differs", "accept-language", List.of("en;q=0.8"), List.of("en;q=0.9")),
                differ("q=0 is not absence", "accept-language", List.of("en, de;q=0"), List.of("en")),
                differ("a more specific range differs", "accept-language", List.of("en"), List.of("en-us")),
                same("§5.3 lines combine", "accept-language", List.of("en", "de"), List.of("en, de")),
                same("§5.6.1 empty elements are ignored", "accept-language", List.of("en,,de,"), List.of("en, de")),
                differ(
                        "an invalid weight leaves the generic rules: case kept",
                        "accept-language",
                        List.of("EN;q=2"),
                        List.of("en;q=2")),
                // Accept, RFC 9110 §12.5.1
                same(
                        "§8.3.1 type and subtype are case-insensitive",
                        "accept",
                        List.of("Text/HTML, application/xml;q=0.9"),
                        List.of("text/html,application/xml;q=0.9")),
                same(
                        "§5.6.6 parameter names are case-insensitive, OWS around ;",
                        "accept",
                        List.of("text/html;Level=1"),
                        List.of("text/html ; level=1")),
                differ(
                        "§5.6.6 parameter values are kept as sent",
                        "accept",
                        List.of("text/html;charset=\"UTF-8\""),
                        List.of("text/html;charset=\"utf-8\"")),
                differ(
                        "parameters are part of the range",
                        "accept",
                        List.of("text/html;level=1"),
                        List.of("text/html")),
                same(
                        "§12.4.2 order of different weights",
                        "accept",
                        List.of("text/html;q=0.5, */*"),
                        List.of("*/*, text/html;q=0.5")),
                differ(
                        "equal weights keep their order",
                        "accept",
                        List.of("text/html, application/json"),
                        List.of("application/json, text/html")),
                differ(
                        "a malformed element leaves the generic rules: case kept",
                        "accept",
                        List.of("Text/html, garbage"),
                        List.of("text/html, garbage")),
                same(
                        "the generic rules still strip whitespace",
                        "accept",
                        List.of("text/html , garbage"),
                        List.of("text/html,garbage")),
                // Accept-Encoding and Accept-Charset, §12.5.3, §12.5.2
                same("§8.4.1 codings are case-insensitive", "accept-encoding", List.of("GZIP, Br"), List.of("gzip,br")),
                same("§8.4.1.3 x-gzip is gzip", "accept-encoding", List.of("x-gzip"), List.of("gzip")),
                same(
                        "§8.3.2 charsets are case-insensitive",
                        "accept-charset",
                        List.of("UTF-8, iso-8859-1;q=0.5"),
                        List.of("utf-8,ISO-8859-1;q=0.5")),
                // fields that are not lists
                differ(
                        "User-Agent is not a list: its commas are text",
                        "user-agent",
                        List.of("Mozilla/5.0 (KHTML, like Gecko)"),
                        List.of("Mozilla/5.0 (KHTML,like Gecko)")),
                same("§5.5 surrounding whitespace", "user-agent", List.of(" curl/8 "), List.of("curl/8")),
                differ(
                        "two lines of a non-list never match one line",
                        "user-agent",
                        List.of("a", "b"),
                        List.of("a, b")),
                differ(
                        "Origin case is kept: CORS echoes it byte for byte",
                        "origin",
                        List.of("https://Site.example"),
                        List.of("https://site.example")),
                differ("Cookie order is kept", "cookie", List.of("a=1; b=2"), List.of("b=2; a=1")),
                differ(
                        "credentials are compared exactly",
                        "authorization",
                        List.of("Basic YQ=="),
                        List.of("basic YQ==")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void requestsMatchOnAFieldOnlyWhereItsDefinitionSaysTheValuesMeanTheSame(Row row) {
        List<String> a = SelectingValues.of(row.field(), row.a());
        List<String> b = SelectingValues.of(row.field(), row.b());
        if (row.same()) assertThat(a).isEqualTo(b);
        else assertThat(a).isNotEqualTo(b);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void theCanonicalLineSelectsWhatItsLinesSelectAndIsTheSameForMatchingRequests(Row row) {
        String a = SelectingValues.canonical(row.field(), row.a());
        String b = SelectingValues.canonical(row.field(), row.b());
        if (a == null || b == null) { // not a list: forwarded as sent
            assertThat(a).isNull();
            assertThat(b).isNull();
            return;
        }
        assertThat(SelectingValues.of(row.field(), List.of(a))).isEqualTo(SelectingValues.of(row.field(), row.a()));
        assertThat(SelectingValues.canonical(row.field(), List.of(a)))
                .as("idempotent")
                .isEqualTo(a);
        assertThat(a.equals(b))
                .as("same bytes to the origin exactly when same variant")
                .isEqualTo(row.same());
    }

    @Test
    void weightsAreWrittenCanonicallyAndSortedStably() { // RFC 9110 §12.4.2
        assertThat(SelectingValues.of("accept-language", List.of("fr;q=0.250, DE, en-GB;q=0.8, *;q=0.000")))
                .containsExactly("de", "en-gb;q=0.8", "fr;q=0.25", "*;q=0");
        assertThat(SelectingValues.of("accept", List.of("Text/*;Q=0.5;, text/html;Level=\"A;b\"")))
                .containsExactly("text/html;level=\"A;b\"", "text/*;q=0.5");
    }

    @Test
    void anEmptyFieldHasNoElementsButIsNotAbsent() { // §4.1: callers mark absence; present-and-empty is a value
        assertThat(SelectingValues.of("accept-language", List.of(""))).isEmpty();
        assertThat(SelectingValues.of("foo", List.of(""))).containsExactly("");
    }
}
