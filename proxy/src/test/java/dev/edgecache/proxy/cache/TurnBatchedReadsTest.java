package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TurnBatchedReadsTest {
    private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = loops.next();
    private final ExecutorService store = Executors.newFixedThreadPool(2);
    private final AtomicInteger storeTasks = new AtomicInteger();
    private final Executor countingStore = task -> {
        storeTasks.incrementAndGet();
        store.execute(task);
    };
    private final TurnBatchedReads<String> reads = new TurnBatchedReads<>(countingStore);

    @AfterEach
    void stop() throws InterruptedException {
        loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        store.shutdownNow();
    }

    /** Runs {@code ask} as one task of the loop, as a turn's requests run, and returns what it returned. */
    private <T> T inOneTurn(Supplier<T> ask) throws Exception {
        AtomicReference<T> asked = new AtomicReference<>();
        loop.submit(() -> asked.set(ask.get())).get(5, TimeUnit.SECONDS);
        return asked.get();
    }

    /** Asks for {@code count} reads in one turn; read i answers "read i". */
    private List<CompletableFuture<String>> askInOneTurn(int count) throws Exception {
        return inOneTurn(() -> {
            List<CompletableFuture<String>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String value = "read " + i;
                answers.add(reads.read(loop, () -> value));
            }
            return answers;
        });
    }

    @Test
    void theReadsOfOneTurnGoToTheStoreAsOneTask() throws Exception {
        List<CompletableFuture<String>> answers = askInOneTurn(3);
        for (int i = 0; i < 3; i++)
            assertThat(answers.get(i).get(5, TimeUnit.SECONDS)).isEqualTo("read " + i);
        assertThat(storeTasks).hasValue(1);
    }

    @Test
    void aLargeTurnIsSplitIntoChunksSoBothStoreThreadsWork() throws Exception {
        List<CompletableFuture<String>> answers = askInOneTurn(2 * TurnBatchedReads.CHUNK + 1);
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(storeTasks).hasValue(3);
        assertThat(answers.get(2 * TurnBatchedReads.CHUNK).get()).isEqualTo("read " + 2 * TurnBatchedReads.CHUNK);
    }

    /** A read that waits until the test has attached its callback, so the callback runs where the answer completes. */
    private final CountDownLatch attached = new CountDownLatch(1);

    private String afterAttached() {
        try {
            assertThat(attached.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "x";
    }

    @Test
    void answersCompleteOnTheAskingLoop() throws Exception {
        CompletableFuture<String> answer = inOneTurn(() -> reads.read(loop, this::afterAttached));
        CompletableFuture<Boolean> onLoop = answer.thenApply(v -> loop.inEventLoop());
        attached.countDown();
        assertThat(onLoop.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aReadAskedOffTheLoopGoesAloneAndIsAnsweredOnTheLoop() throws Exception {
        CompletableFuture<Boolean> onLoop =
                reads.read(loop, this::afterAttached).thenApply(v -> loop.inEventLoop());
        attached.countDown();
        assertThat(onLoop.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(storeTasks).hasValue(1);
    }

    @Test
    void aReadThatThrowsFailsOnlyItsOwnAnswer() throws Exception {
        Supplier<String> broken = () -> {
            throw new IllegalStateException("disk on fire");
        };
        List<CompletableFuture<String>> answers = inOneTurn(
                () -> List.of(reads.read(loop, () -> "a"), reads.read(loop, broken), reads.read(loop, () -> "c")));
        assertThat(answers.get(0).get(5, TimeUnit.SECONDS)).isEqualTo("a");
        assertThatThrownBy(() -> answers.get(1).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("disk on fire");
        assertThat(answers.get(2).get(5, TimeUnit.SECONDS)).isEqualTo("c");
    }

    @Test
    void aFullStoreExecutorFailsTheTurnsReadsAndTheNextTurnStartsAfresh() throws Exception {
        AtomicInteger refusals = new AtomicInteger(1);
        TurnBatchedReads<String> refusing = new TurnBatchedReads<>(task -> {
            if (refusals.getAndDecrement() > 0) throw new RejectedExecutionException("queue full");
            store.execute(task);
        });
        CompletableFuture<String> refused = inOneTurn(() -> refusing.read(loop, () -> "a"));
        assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(RejectedExecutionException.class);
        CompletableFuture<String> next = inOneTurn(() -> refusing.read(loop, () -> "b"));
        assertThat(next.get(5, TimeUnit.SECONDS)).isEqualTo("b");
    }
}
