package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RequestCoalescerTest {
    private final RequestCoalescer<String, String> coalescer = new RequestCoalescer<>(2);
    private final AtomicInteger fetches = new AtomicInteger();
    private final CompletableFuture<String> origin = new CompletableFuture<>();

    private RequestCoalescer.Join<String> join(String key) {
        return coalescer.join(key, () -> {
            fetches.incrementAndGet();
            return origin;
        });
    }

    @Test
    void concurrentJoinsShareOneFetch() {
        var leader = join("k");
        var waiter = join("k");
        assertThat(leader.leader()).isTrue();
        assertThat(waiter.leader()).isFalse();
        origin.complete("v");
        assertThat(leader.future()).isCompletedWithValue("v");
        assertThat(waiter.future()).isCompletedWithValue("v");
        assertThat(fetches).hasValue(1);
    }

    @Test
    void aCompletedFlightIsForgottenSoTheNextJoinFetchesAgain() {
        join("k");
        origin.complete("v");
        assertThat(coalescer.inFlight()).isZero();
        assertThat(join("k").leader()).isTrue();
        assertThat(fetches).hasValue(2);
    }

    /** A reader who got the answer and asks again must start a new flight (found by a flaky TtlStaleIT). */
    @SuppressWarnings("FutureReturnValueIgnored") // the test asserts the callback's effect
    @Test
    void aJoinFromAnAnswerCallbackStartsANewFlight() {
        var leader = join("k");
        AtomicInteger nextWasLeader = new AtomicInteger(-1);
        leader.future().thenRun(() -> nextWasLeader.set(join("k").leader() ? 1 : 0));
        origin.complete("v");
        assertThat(nextWasLeader).as("the second join led a new flight").hasValue(1);
        assertThat(fetches).hasValue(2);
    }

    @Test
    void failuresReachEveryWaiterAndAreForgotten() {
        var leader = join("k");
        var waiter = join("k");
        origin.completeExceptionally(new IllegalStateException("down"));
        assertThat(leader.future()).isCompletedExceptionally();
        assertThat(waiter.future()).isCompletedExceptionally();
        assertThat(coalescer.inFlight()).isZero();
    }

    @Test
    void waitersPastTheBoundAreRejected() {
        join("k");
        assertThat(join("k").rejected()).isFalse();
        assertThat(join("k").rejected()).isFalse();
        assertThat(join("k").rejected()).isTrue();
        assertThat(join("other").leader()).isTrue();
    }

    @Test
    void aFetchThatThrowsFailsTheFlight() {
        var j = coalescer.join("k", () -> {
            throw new IllegalStateException("boom");
        });
        assertThat(j.future()).isCompletedExceptionally();
        assertThat(coalescer.inFlight()).isZero();
    }
}
