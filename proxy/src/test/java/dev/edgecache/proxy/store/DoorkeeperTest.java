package dev.edgecache.proxy.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DoorkeeperTest {
    @Test
    void aKeyIsAdmittedOnItsSecondRead() {
        Doorkeeper doorkeeper = new Doorkeeper(1024);
        assertThat(doorkeeper.seenBefore("/a".hashCode())).isFalse();
        assertThat(doorkeeper.seenBefore("/a".hashCode())).isTrue();
        assertThat(doorkeeper.seenBefore("/b".hashCode())).isFalse();
    }

    @Test
    void keysReadOnceAreRarelyTakenForKeysReadBefore() {
        Doorkeeper doorkeeper = new Doorkeeper(1 << 14);
        int falsePositives = 0;
        for (int i = 0; i < 1 << 14; i++) {
            if (doorkeeper.seenBefore(("/page/" + i).hashCode())) falsePositives++;
        }
        // 8 bits and 2 hashes per key: about 5% once the window is full, less on the way there
        assertThat(falsePositives).isLessThan((1 << 14) / 20);
    }

    @Test
    void theWindowForgetsOldReads() {
        Doorkeeper doorkeeper = new Doorkeeper(64);
        assertThat(doorkeeper.seenBefore("/old".hashCode())).isFalse();
        for (int i = 0; i < 70; i++) doorkeeper.seenBefore(("/other/" + i).hashCode()); // past 64 recorded: cleared
        assertThat(doorkeeper.seenBefore("/old".hashCode())).isFalse();
    }
}
