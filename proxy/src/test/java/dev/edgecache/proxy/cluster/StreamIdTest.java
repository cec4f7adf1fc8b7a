package dev.edgecache.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StreamIdTest {
    @Test
    void idsCompareAsNumbersNotAsStrings() {
        StreamId shortMs = StreamId.parse("999-5");
        StreamId longMs = StreamId.parse("1000-0");
        assertThat("999-5".compareTo("1000-0")).as("string order is wrong").isPositive();
        assertThat(longMs.isAfter(shortMs)).isTrue();
        assertThat(StreamId.parse("1000-10").isAfter(StreamId.parse("1000-9"))).isTrue();
        assertThat(StreamId.parse("1000-1")).isEqualByComparingTo(new StreamId(1000, 1));
        assertThat(StreamId.parse("1000")).isEqualTo(new StreamId(1000, 0));
        assertThat(StreamId.parse("1733400000000-3").toString()).isEqualTo("1733400000000-3");
        assertThat(StreamId.ZERO.isAfter(StreamId.ZERO)).isFalse();
    }

    @Test
    void malformedIdsAreRefused() {
        assertThatThrownBy(() -> StreamId.parse("abc")).hasMessageContaining("not a stream id: 'abc'");
        assertThatThrownBy(() -> StreamId.parse("1--2")).isInstanceOf(IllegalArgumentException.class);
    }
}
