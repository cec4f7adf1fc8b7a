package dev.edgecache.origin.blog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgecache.origin.RejectedException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SlugsTest {
    @ParameterizedTest
    @CsvSource(
            value = {
                "'Hello, World!',hello-world",
                "'  Crème brûlée à la carte ',creme-brulee-a-la-carte",
                "'<script>alert(1)</script>',script-alert-1-script",
                "'!!!',post",
                "'posts',post-posts",
                "'日本語',post"
            })
    void slugsAreMadeFromTitles(String title, String slug) {
        assertThat(Slugs.fromTitle(title)).isEqualTo(slug);
        assertThat(Slugs.isValid(slug)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Hello", "a--b", "-a", "a-", "a_b", "a/b", "a.b", "posts", "feed"})
    void invalidSlugsAreRefusedWith400(String slug) {
        assertThatThrownBy(() -> Slugs.check(slug))
                .isInstanceOfSatisfying(
                        RejectedException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @org.junit.jupiter.api.Test
    void longTitlesAndNumberedSlugsStayWithinTheLimit() {
        String slug = Slugs.fromTitle("word ".repeat(40));
        assertThat(slug.length()).isLessThanOrEqualTo(Slugs.MAX_LENGTH);
        assertThat(Slugs.numbered(slug, 12)).endsWith("-12").hasSizeLessThanOrEqualTo(Slugs.MAX_LENGTH);
        assertThat(Slugs.isValid(Slugs.numbered(slug, 12))).isTrue();
    }
}
