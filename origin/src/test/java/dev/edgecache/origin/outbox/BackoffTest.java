package dev.edgecache.origin.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void delaysDoubleFromMinAndAreCappedAtMax() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5));
        assertThat(b.delayAfter(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(b.delayAfter(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.delayAfter(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(b.delayAfter(5)).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.delayAfter(1_000)).isEqualTo(Duration.ofSeconds(5));
    }
}
