package dev.edgecache.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AppliedTest {
    private static StreamId id(long ms) {
        return new StreamId(ms, 0);
    }

    @Test
    void aWaiterCompletesWithItsEntrysCountOnceThePositionReachesIt() {
        Applied applied = new Applied(id(10));
        CompletableFuture<Integer> waiting = applied.when(id(12));
        applied.applied(id(11), 3);
        assertThat(waiting).isNotDone();
        applied.applied(id(12), 7);
        assertThat(waiting).isCompletedWithValue(7);
        assertThat(applied.position()).isEqualTo(id(12));
    }

    @Test
    void anEntryAppliedBeforeTheCallerAsksIsAnsweredAtOnce() {
        Applied applied = new Applied(StreamId.ZERO);
        applied.applied(id(5), 2); // the consumer can be faster than the admin thread that appended
        assertThat(applied.when(id(5))).isCompletedWithValue(2);
        assertThat(applied.when(id(4)))
                .as("an entry that is not remembered counts 0")
                .isCompletedWithValue(0);
    }

    @Test
    void thePositionNeverMovesBackAndCancelledWaitersAreForgotten() {
        Applied applied = new Applied(id(20));
        applied.applied(id(15), 1);
        assertThat(applied.position()).isEqualTo(id(20));
        CompletableFuture<Integer> gaveUp = applied.when(id(30));
        applied.cancel(gaveUp);
        applied.applied(id(30), 1);
        assertThat(gaveUp).isNotDone();
    }

    @Test
    void onlyTheLastRememberedCountsAreKept() {
        Applied applied = new Applied(StreamId.ZERO);
        for (int i = 1; i <= Applied.REMEMBERED + 1; i++) applied.applied(id(i), i);
        assertThat(applied.when(id(1))).isCompletedWithValue(0);
        assertThat(applied.when(id(Applied.REMEMBERED + 1))).isCompletedWithValue(Applied.REMEMBERED + 1);
    }
}
