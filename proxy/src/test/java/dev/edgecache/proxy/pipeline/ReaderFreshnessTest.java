package dev.edgecache.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.http.CacheControl;
import dev.edgecache.common.store.StoredEntry;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A reader's request directives against a stored response 100 s old and fresh for 500 s more (RFC 9111 §5.2.1). */
class ReaderFreshnessTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final StoredEntry ENTRY = new StoredEntry(
            200, List.of(), new byte[0], NOW - 100_000, NOW + 500_000, NOW + 500_000, "\"e\"", List.of(), "v1", 0);

    @ParameterizedTest(name = "Cache-Control: {0} -> served: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''|true",
                "public|true", // not a request directive: ignored (§5.2.3)
                "max-age=100|true", // §5.2.1.1: age <= max-age
                "max-age=99|false",
                "max-age=0|false",
                "max-age=oops|true", // malformed: ignored
                "no-cache|false", // §5.2.1.4: validate every time
                "no-cache, max-age=3600|false",
                "min-fresh=500|true", // §5.2.1.3: fresh for at least that long
                "min-fresh=501|false",
                "max-age=200, min-fresh=400|true",
                "max-age=200, min-fresh=600|false",
                "max-stale=3600|true", // §5.2.1.2: accepting stale asks nothing of a fresh response
            })
    void servesWhatTheReaderAccepts(String cacheControl, boolean served) {
        assertThat(ReaderFreshness.of(CacheControl.parse(cacheControl)).accepts(ENTRY, NOW))
                .isEqualTo(served);
    }

    @ParameterizedTest(name = "Cache-Control: {0}")
    @CsvSource({"''", "public", "max-stale=60", "max-age=x"})
    void noDemandsAreTheSharedAnswer(String cacheControl) {
        assertThat(ReaderFreshness.of(CacheControl.parse(cacheControl))).isSameAs(ReaderFreshness.ANY);
    }
}
