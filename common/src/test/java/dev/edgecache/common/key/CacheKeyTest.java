package dev.edgecache.common.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CacheKeyTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/alice/hello, /alice/hello",
        "/alice/hello?, /alice/hello",
        "/alice/hello#frag, /alice/hello",
        "/%61lice/%7Ehello, /alice/~hello", // unreserved characters decoded (RFC 3986 §6.2.2.2)
        "/a/./b/../c, /a/c",
        "/a/%2e%2e/b, /b", // encoded dot-segments cannot climb
        "/../../etc, /etc",
        "/a/b/.., /a/",
        "/a%3ab, /a%3Ab", // other escapes upper-cased
        "/a?b=%7e&a=1, /a?b=~&a=1",
        "http://example.com/x?y, /x?y",
        "/caf\u00e9, /caf%E9",
    })
    void normalises(String target, String expected) {
        assertThat(CacheKey.fromRequestTarget(target).target()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%2Fb", "/a%00", "/a%zz", "/a%2", "*", "relative", "/a b", "/a\u0001"})
    void rejectsWhatCannotBeKeyedSafely(String target) {
        assertThatThrownBy(() -> CacheKey.fromRequestTarget(target)).isInstanceOf(BadRequestTargetException.class);
    }

    @Test
    void bytesRoundTrip() {
        CacheKey k = CacheKey.fromRequestTarget("/alice/posts?page=2");
        assertThat(CacheKey.fromBytes(k.toBytes())).isEqualTo(k);
        assertThat(k.path()).isEqualTo("/alice/posts");
        assertThat(k.query()).isEqualTo("page=2");
    }
}
