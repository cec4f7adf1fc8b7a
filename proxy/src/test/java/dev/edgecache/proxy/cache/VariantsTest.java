package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.Header;
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

    @ParameterizedTest(name = "Vary: {0} → {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Accept-Language                 | accept-language",
                "accept-language, Accept         | accept,accept-language",
                "Accept-Encoding                 | ''", // never forwarded: stored bodies are identity
                "Cookie, Origin                  | cookie,origin", // issue 11: forwardable on http routes
                "If-None-Match, Range, Connection, Content-Type | ''", // managed by the edge, hop-by-hop, bodiless
                "User-Agent, Accept-Language, Accept-Language | accept-language,user-agent",
            })
    void selectingFieldsAreTheForwardedOnesSortedAndLowerCase(String vary, String expected) {
        List<String> fields = Variants.selectingFields(List.of(vary));
        assertThat(String.join(",", fields)).isEqualTo(expected);
    }

    @Test
    void equalValuesAfterNormalisationSelectTheSameVariant() { // RFC 9111 §4.1 allows whitespace and line folding
        List<String> f = List.of("accept-language");
        assertThat(Variants.secondary(f, lang("en, fr")))
                .isEqualTo(Variants.secondary(f, lang("en ,fr")))
                .isEqualTo(Variants.secondary(f, lang("en", "fr")));
        assertThat(Variants.secondary(f, lang("en"))).isNotEqualTo(Variants.secondary(f, lang("fr")));
    }

    @Test
    void anAbsentFieldDiffersFromAnEmptyOne() { // RFC 9111 §4.1: absent only matches absent
        List<String> f = List.of("accept-language");
        assertThat(Variants.secondary(f, List.of())).isNotEqualTo(Variants.secondary(f, lang("")));
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
