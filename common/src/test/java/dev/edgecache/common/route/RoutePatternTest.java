package dev.edgecache.common.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoutePatternTest {
    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "/login, /login, true",
        "/login, /login/, true",
        "/login, /logins, false",
        "/login, /login/x, false",
        "/assets/**, /assets, true",
        "/assets/**, /assets/a/b.css, true",
        "/assets/**, /assetsx, false",
        "/**, /, true",
        "/**, /anything/at/all, true",
        "/{user}/posts, /alice/posts, true",
        "/{user}/posts, /alice/post, false",
        "/{user}/{slug}, /alice/hello, true",
        "/{user}/{slug}, /alice, false",
        "/{user}/{slug}, /alice/hello/more, false",
        "/{user}, /alice, true",
        "/{user}, /, false",
        "/, /, true",
        "/, /a, false",
    })
    void matches(String pattern, String path, boolean expected) {
        assertThat(RoutePattern.parse(pattern).matches(path)).isEqualTo(expected);
    }

    @Test
    void namedSegmentsAreCaptured() {
        assertThat(RoutePattern.parse("/{user}/{slug}").match("/alice/hello"))
                .contains(Map.of("user", "alice", "slug", "hello"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"login", "/a//b", "/a/**/b", "/a/*", "/{}", "/a{b}", "/{1x}"})
    void badPatternsAreRefused(String pattern) {
        assertThatThrownBy(() -> RoutePattern.parse(pattern)).isInstanceOf(IllegalArgumentException.class);
    }
}
