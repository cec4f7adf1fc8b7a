package dev.edgecache.proxy.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TagListTest {
    @Test
    void tagsRoundTripInOrder() {
        List<String> tags = List.of("user:alice", "post:héllo", "", "x".repeat(70_000));
        assertThat(TagList.decode(TagList.encode(tags))).isEqualTo(tags);
        assertThat(TagList.decode(TagList.encode(List.of()))).isEmpty();
    }

    @Test
    void aTruncatedValueIsNotReadAsTags() { // the caller reads the page instead
        byte[] encoded = TagList.encode(List.of("user:alice"));
        assertThat(TagList.decode(java.util.Arrays.copyOf(encoded, encoded.length - 1)))
                .isNull();
        assertThat(TagList.decode(new byte[] {0, 0})).isNull();
        assertThat(TagList.decode(new byte[] {(byte) 0xff, 0, 0, 0}))
                .as("a negative length")
                .isNull();
    }
}
