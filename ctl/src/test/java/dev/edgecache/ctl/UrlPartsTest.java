package dev.edgecache.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlPartsTest {
    @Test
    void queryValuesKeepSlashesButEscapeSeparators() {
        assertThat(UrlParts.queryValue("/alice/hello")).isEqualTo("/alice/hello");
        assertThat(UrlParts.queryValue("/search?q=a&b")).isEqualTo("/search%3Fq%3Da%26b");
    }

    @Test
    void pathSegmentsEscapeSlashesAndSpaces() {
        assertThat(UrlParts.segment("v2")).isEqualTo("v2");
        assertThat(UrlParts.segment("a/b c")).isEqualTo("a%2Fb%20c");
    }
}
