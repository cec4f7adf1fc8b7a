package dev.edgecache.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeployWaitTest {
    private static final Duration STALL = Duration.ofSeconds(60);

    private static NodeProgress rendering(int done) {
        return new NodeProgress(NodeProgress.RENDERING, 10, done, 0, 0);
    }

    private static NodeProgress done(int failures) {
        return new NodeProgress(NodeProgress.DONE, 10, 10, failures, 0);
    }

    @Test
    void everyLiveMemberIsWaitedForUntilItReportsDoneEvenBeforeItsFirstReport() {
        DeployWait wait = new DeployWait(0, STALL);
        List<String> live = List.of("a", "b", "c");
        assertThat(wait.check(live, Map.of("a", done(0), "b", done(0)), 1_000)).isEmpty();
        assertThat(wait.check(live, Map.of("a", done(0), "b", done(0), "c", rendering(3)), 2_000))
                .isEmpty();
        var verdict = wait.check(live, Map.of("a", done(0), "b", done(2), "c", done(1)), 3_000);
        assertThat(verdict).isPresent();
        assertThat(verdict.get().notWaitedFor()).isEmpty();
        assertThat(verdict.get().worstNode()).isEqualTo("b");
        assertThat(verdict.get().worstFailures()).isEqualTo(2);
    }

    @Test
    void aMemberThatLeftIsNotWaitedForAndIsReportedEvenIfItNeverReported() {
        DeployWait wait = new DeployWait(0, STALL);
        assertThat(wait.check(List.of("a", "b", "c"), Map.of("a", done(0)), 1_000))
                .isEmpty();
        var verdict = wait.check(List.of("a", "b"), Map.of("a", done(0), "b", done(0)), 6_000);
        assertThat(verdict).isPresent();
        assertThat(verdict.get().notWaitedFor()).isEqualTo(Map.of("c", NodeProgress.LEFT));
    }

    @Test
    void aMemberThatLeftAfterItWasDoneCountsAsDone() {
        DeployWait wait = new DeployWait(0, STALL);
        assertThat(wait.check(List.of("a", "b"), Map.of("b", done(4)), 1_000)).isEmpty();
        var verdict = wait.check(List.of("a"), Map.of("a", done(0), "b", done(4)), 2_000);
        assertThat(verdict).isPresent();
        assertThat(verdict.get().notWaitedFor()).isEmpty();
        assertThat(verdict.get().worstNode()).isEqualTo("b");
    }

    @Test
    void aLiveMemberIsWaitedForWhileItsProgressMovesAndNotOnceItStalls() {
        DeployWait wait = new DeployWait(0, STALL);
        List<String> live = List.of("a", "b");
        assertThat(wait.check(live, Map.of("a", done(0)), 59_000))
                .as("not stalled yet")
                .isEmpty();
        assertThat(wait.check(live, Map.of("a", done(0), "b", rendering(1)), 61_000))
                .as("it moved")
                .isEmpty();
        assertThat(wait.check(live, Map.of("a", done(0), "b", rendering(1)), 120_000))
                .as("60 s since it last moved, not since the start")
                .isEmpty();
        var verdict = wait.check(live, Map.of("a", done(0), "b", rendering(1)), 121_001);
        assertThat(verdict).isPresent();
        assertThat(verdict.get().notWaitedFor()).isEqualTo(Map.of("b", NodeProgress.STALLED));
        assertThat(verdict.get().worstNode()).isEqualTo("a");
    }

    @Test
    void withNobodyDoneThereIsNoWorstNode() {
        DeployWait wait = new DeployWait(0, STALL);
        assertThat(wait.check(List.of("a"), Map.of("a", rendering(0)), 1_000)).isEmpty();
        var verdict = wait.check(List.of("a"), Map.of("a", rendering(0)), 61_001);
        assertThat(verdict).isPresent();
        assertThat(verdict.get().worstNode()).isEmpty();
        assertThat(verdict.get().notWaitedFor()).isEqualTo(Map.of("a", NodeProgress.STALLED));
    }
}
