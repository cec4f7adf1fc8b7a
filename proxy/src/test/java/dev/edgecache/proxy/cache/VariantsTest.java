package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.Header;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Secondary keys (RFC 9111 §4.1). */
class VariantsTest {
    private static List<Header> lang(String... values) {
        return java.util.Arrays.stream(values)
                .map(v -> new Header("Accept-Language", v))
                .toList();
    }

    private static List<Header> headers(String... nameValues) {
        List<Header> out = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) out.add(new Header(nameValues[i], nameValues[i + 1]));
        return out;
    }

    @ParameterizedTest(name = "Vary: {0} → {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Accept-Language                 | accept-language",
                "accept-language, Accept         | accept,accept-language",
                "Origin                          | origin", // any field the origin names (issue 11)
                "X-Custom, Foo                   | foo,x-custom",
                "Cookie                          | cookie", // absent from every forwarded request: one variant
                "Accept-Encoding                 | ''", // never forwarded: the edge negotiates codings itself
                "Accept-Encoding, Origin         | origin",
                "' , Foo,,foo'                   | foo", // §5.6.1 empty elements; names are case-insensitive
                "Cookie, Origin                  | cookie,origin", // forwardable with forward-cookies
                "User-Agent, Accept-Language, Accept-Language | accept-language,user-agent",
            })
    void selectingFieldsAreEveryNamedFieldSortedAndLowerCase(String vary, String expected) { // RFC 9110 §12.5.5
        List<String> fields = Variants.selectingFields(List.of(vary));
        assertThat(String.join(",", fields)).isEqualTo(expected);
    }

    @Test
    void severalVaryLinesAreOneList() { // RFC 9110 §5.3
        assertThat(Variants.selectingFields(List.of("Foo", "Bar, Baz")))
                .isEqualTo(Variants.selectingFields(List.of("baz, bar, foo")))
                .containsExactly("bar", "baz", "foo");
    }

    @ParameterizedTest(name = "Vary: {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "*", // suite vary-syntax-star
                "*, *", // vary-syntax-star-star
                "', *'", // vary-syntax-empty-star
                "Foo, *", // vary-syntax-foo-star
                "*, Foo", // vary-syntax-star-foo
                "Accept Language", // not a field name: what the origin varies on is unknown
                "\"Foo\"",
            })
    void aVaryWithAStarOrANonFieldNeverMatches(String vary) { // RFC 9111 §4.1, RFC 9110 §12.5.5
        assertThat(Variants.neverMatches(List.of(vary))).isTrue();
    }

    @Test
    void aStarOnAnyLineNeverMatchesAndOrdinaryVaryDoes() {
        assertThat(Variants.neverMatches(List.of("*", "*"))).isTrue(); // vary-syntax-star-star-lines
        assertThat(Variants.neverMatches(List.of("", "*"))).isTrue(); // vary-syntax-empty-star-lines
        assertThat(Variants.neverMatches(List.of("Foo", "Bar, Accept-Language")))
                .isFalse();
        assertThat(Variants.neverMatches(List.of("", " , "))).isFalse();
        assertThat(Variants.neverMatches(List.of())).isFalse();
    }

    @Test
    void equalValuesAfterNormalisationSelectTheSameVariant() { // RFC 9111 §4.1 allows whitespace and line folding
        List<String> f = List.of("accept-language");
        assertThat(Variants.secondary(f, lang("en, fr")))
                .isEqualTo(Variants.secondary(f, lang("en ,fr")))
                .isEqualTo(Variants.secondary(f, lang("en", "fr")))
                .isEqualTo(Variants.secondary(f, lang("EN, Fr")))
                .hasSize(43); // all of SHA-256, base64url
        assertThat(Variants.secondary(f, lang("en"))).isNotEqualTo(Variants.secondary(f, lang("fr")));
    }

    @Test
    void anAbsentFieldDiffersFromAnEmptyOne() { // RFC 9111 §4.1: absent only matches absent
        List<String> f = List.of("accept-language");
        assertThat(Variants.secondary(f, List.of())).isNotEqualTo(Variants.secondary(f, lang("")));
        List<String> foo = List.of("foo");
        assertThat(Variants.secondary(foo, List.of())).isNotEqualTo(Variants.secondary(foo, headers("Foo", "")));
    }

    @Test
    void anyFieldSelectsAndOnlyTheSelectingFieldsCount() { // RFC 9111 §4.1; suite vary-no-match, vary-cache-key
        List<String> f = Variants.selectingFields(List.of("Foo, Bar, Baz"));
        String stored = Variants.secondary(f, headers("Foo", "1", "Bar", "abc", "Baz", "789"));
        assertThat(Variants.secondary(f, headers("Baz", "789", "foo", "1", "BAR", "abc", "Other", "3")))
                .as("field order, name case and other fields do not matter")
                .isEqualTo(stored);
        assertThat(Variants.secondary(f, headers("Foo", "1", "Baz", "789", "Bar", "abcde")))
                .as("vary-3-order")
                .isNotEqualTo(stored);
        assertThat(Variants.secondary(f, headers("Foo", "1", "Baz", "789")))
                .as("a field the stored request had is missing (vary-2-match-omit)")
                .isNotEqualTo(stored);
        assertThat(Variants.secondary(f, headers("Foo", "1", "Baz", "789")))
                .as("both omit the same field (vary-3-omit)")
                .isEqualTo(Variants.secondary(f, headers("Baz", "789", "Foo", "1")));
    }

    @Test
    void theEncodingIsUnambiguous() { // values never run into each other or into the next field
        List<String> ab = List.of("a", "b");
        assertThat(Variants.secondary(ab, headers("a", "1", "b", "2")))
                .isNotEqualTo(Variants.secondary(ab, headers("a", "12")))
                .isNotEqualTo(Variants.secondary(ab, headers("a", "1b2")))
                .isNotEqualTo(Variants.secondary(ab, headers("b", "1", "a", "2")));
        List<String> ua = List.of("user-agent");
        assertThat(Variants.secondary(ua, headers("User-Agent", "x", "User-Agent", "y")))
                .as("two lines of a non-list field are not one line with a comma")
                .isNotEqualTo(Variants.secondary(ua, headers("User-Agent", "x,y")))
                .isNotEqualTo(Variants.secondary(ua, headers("User-Agent", "x, y")));
        assertThat(Variants.secondary(List.of("foo"), headers("Foo", "1")))
                .as("the field names are part of the key")
                .isNotEqualTo(Variants.secondary(List.of("bar"), headers("Bar", "1")));
    }

    @Test
    void acceptEncodingNeverReachesTheOriginSoItNeverSelects() { // the premise of Variants.EDGE_NEGOTIATED
        CacheKey key = CacheKey.fromRequestTarget("/docs/a");
        List<Header> client = headers("Accept-Encoding", "gzip", "Accept-Language", "en");
        for (String name : Variants.EDGE_NEGOTIATED) {
            assertThat(OriginRequests.forHttp(key, client, "127.0.0.1").headers())
                    .noneMatch(h -> h.name().equalsIgnoreCase(name));
            assertThat(OriginRequests.forCacheable(key, client, "127.0.0.1").headers())
                    .noneMatch(h -> h.name().equalsIgnoreCase(name));
        }
    }

    @Test
    void variantKeysExtendThePrimaryTargetSoPurgesFindThem() {
        EntryKey primary = new EntryKey("v1", CacheKey.fromRequestTarget("/docs/a?x=1"));
        EntryKey variant = Variants.variantKey(primary, "abc");
        assertThat(variant.key().target())
                .startsWith(Variants.prefixOf(primary.key()))
                .startsWith("/docs/a?x=1");
        assertThat(Variants.primaryOf(variant)).isEqualTo(primary);
        assertThat(Variants.primaryTarget(variant.key())).isEqualTo("/docs/a?x=1");
        assertThat(EntryKey.fromBytes(variant.toBytes())).isEqualTo(variant);
        EntryKey bare = new EntryKey("v1", CacheKey.fromRequestTarget("/docs/a"));
        assertThat(Variants.primaryOf(Variants.variantKey(bare, "abc"))).isEqualTo(bare);
    }

    @Test
    void anIndexRecordsFieldsAndVariantsAndIsRecognised() {
        var index = Variants.index(List.of("accept-language"), List.of("a", "b"), "v1", 0, 0);
        assertThat(Variants.isIndex(index)).isTrue();
        assertThat(Variants.fieldsOf(index)).containsExactly("accept-language");
        assertThat(Variants.variantsOf(index)).containsExactly("a", "b");
    }
}
