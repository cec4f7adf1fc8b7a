package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9211 §2.8: a storage rule's reason becomes the {@code detail} token of a miss that was not stored. */
class CacheStatusTest {
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no-store or private         | edge; fwd=miss; detail=no-store-or-private",
                "status 500                  | edge; fwd=miss; detail=status-500",
                "vary *                      | edge; fwd=miss; detail=vary-*",
                "Vary Accept-Language        | edge; fwd=miss; detail=vary-accept-language",
                "not fresh and no validator  | edge; fwd=miss; detail=not-fresh-and-no-validator",
                "\"quoted\" ; injected=1     | edge; fwd=miss; detail=not-stored",
                "''                          | edge; fwd=miss; detail=not-stored",
            })
    void theReasonIsAlwaysOneToken(String reason, String expected) {
        assertThat(CacheStatus.notStored(reason)).isEqualTo(expected);
    }
}
