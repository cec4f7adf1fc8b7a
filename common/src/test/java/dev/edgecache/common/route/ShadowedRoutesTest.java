package dev.edgecache.common.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShadowedRoutesTest {
    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
        "/**, /login, true",
        "/**, /assets/**, true",
        "/assets/**, /assets, true",
        "/assets/**, /assets/a/**, true",
        "/{user}/{slug}, /alice/hello, true",
        "/{user}/{slug}, /{user}/posts, true",
        "/{user}/posts, /{user}/{slug}, false",
        "/alice/hello, /{user}/{slug}, false",
        "/a/b, /a/**, false",
        "/a/**, /b/**, false",
        "/{user}, /{user}/posts, false",
        "/{user}/**, /, false",
        "/**, /, true",
    })
    void coverage(String earlier, String later, boolean covers) {
        assertThat(RoutePattern.parse(earlier).covers(RoutePattern.parse(later)))
                .isEqualTo(covers);
        // the claim is checked on real paths too: what the later one matches, the earlier one matches
        if (covers) {
            for (String path : List.of("/", "/alice", "/alice/hello", "/alice/posts", "/assets", "/assets/a/b.css")) {
                if (RoutePattern.parse(later).matches(path))
                    assertThat(RoutePattern.parse(earlier).matches(path))
                            .as(path)
                            .isTrue();
            }
        }
    }

    @Test
    void warnsOnceForEachRouteThatCanNeverMatch() {
        assertThat(ShadowedRoutes.warnings(List.of("/login", "/{user}/{slug}", "/{user}/posts", "/api/**")))
                .containsExactly("routes[2] /{user}/posts can never match: routes[1] /{user}/{slug} comes first and"
                        + " matches every path it does");
    }

    @Test
    void aWellOrderedTableHasNoWarnings() {
        assertThat(ShadowedRoutes.warnings(List.of("/login", "/{user}/posts", "/{user}/{slug}", "/**")))
                .isEmpty();
    }
}
