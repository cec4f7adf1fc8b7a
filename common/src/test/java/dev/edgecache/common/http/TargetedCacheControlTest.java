package dev.edgecache.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Targeted fields (RFC 9213 §2.2): Structured Field Dictionaries (RFC 9651 §4.2.2) read as cache directives. */
class TargetedCacheControlTest {
    @ParameterizedTest(name = "[{0}] → {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "max-age=60                          | max-age=60",
                "foobar, max-age=3600                | foobar & max-age=3600",
                "max-age=99999999999                 | max-age=99999999999",
                "no-store                            | no-store",
                "private                             | private",
                "no-cache=\"a, b\"                   | no-cache=a, b",
                "max-age=60;foo=bar, public          | max-age=60 & public",
                "max-age=60,public                   | max-age=60 & public",
                "'max-age=60 ,\tpublic'              | max-age=60 & public",
                "no-store=?0, max-age=5              | max-age=5",
                "must-revalidate=?1, max-age=5       | must-revalidate & max-age=5",
                "ext=(a b), max-age=5                | ext=(a b) & max-age=5",
                "ext=\"x\", max-age=5                | ext=x & max-age=5",
                "max-age=1, max-age=5                | max-age=5",
            })
    void valid(String field, String expected) {
        Optional<CacheControl> cc = CacheControl.parseTargeted(List.of(field));
        assertThat(cc).isPresent();
        for (String d : expected.split("&")) {
            String t = d.strip();
            int eq = t.indexOf('=');
            String name = eq < 0 ? t : t.substring(0, eq);
            assertThat(cc.get().has(name)).as(t).isTrue();
            if (eq >= 0) assertThat(cc.get().argument(name)).as(t).contains(t.substring(eq + 1));
        }
    }

    @ParameterizedTest(name = "[{0}] is ignored")
    @CsvSource(
            delimiter = '|',
            value = {
                "max-age=10000, &&&&&", // not a dictionary (cdn-cc-invalid-sh-type-unknown)
                "max-age=\"10000\"", // a string where an integer belongs (cdn-cc-invalid-sh-type-wrong)
                "MaX-aGe=3600", // keys are lower case
                "max-age =100",
                "max-age= 100",
                "max-age=-1",
                "max-age=3600.5",
                "max-age=1234567890123456", // more than 15 digits
                "no-store=1",
                "no-cache=5",
                "max-age=60,",
                "\"max-age\"",
            })
    void invalid(String field) {
        assertThat(CacheControl.parseTargeted(List.of(field))).isEmpty();
    }

    @Test
    void fieldLinesAreJoinedAndAnEmptyFieldIsIgnored() {
        assertThat(CacheControl.parseTargeted(List.of("max-age=60", "private"))
                        .orElseThrow()
                        .has("private"))
                .isTrue();
        assertThat(CacheControl.parseTargeted(List.of(" "))).isEmpty();
    }

    @Test
    void qualifiedDirectivesNameTheirFields() { // RFC 9111 §5.2.2.4, §5.2.2.7
        CacheControl cc = CacheControl.parse("no-cache=\"A, b\", private=\"X-User\", max-age=5");
        assertThat(cc.fieldNames("no-cache")).containsExactly("a", "b");
        assertThat(cc.fieldNames("private")).containsExactly("x-user");
        assertThat(cc.fieldNames("max-age")).containsExactly("5");
        assertThat(CacheControl.parse("no-cache").fieldNames("no-cache")).isEmpty();
        assertThat(CacheControl.parse("max-age=60, max-age=60").hasConflicts()).isFalse();
        assertThat(CacheControl.parse("max-age=60, max-age=70").hasConflicts()).isTrue();
    }
}
