package dev.edgecache.proxy.cache;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Blocking store reads asked for by an event loop, handed to the store executor in batches: the reads a loop asks for
 * while it handles one turn's requests go as one task per {@link #CHUNK} reads, and their answers come back to the loop
 * as one task per chunk (issue 12). Handing each read over alone could cost a store thread's wake-up and a loop's
 * wake-up per disk hit: batched, Zipf reads over a million pages made 0.19-0.28 context switches per request instead
 * of 0.32-0.42 (bench/RESULTS.md §24).
 *
 * <p>A loop's pending reads are flushed by a task it runs after the turn's I/O, so the batch never waits for more than
 * the rest of the turn. Answers complete on the asking loop; a read asked for off its loop goes alone. A read that
 * throws fails its own answer only; a full store executor fails the whole chunk with {@link
 * RejectedExecutionException}. Thread-safe: each loop only touches its own pending list.
 */
final class TurnBatchedReads<T> {
    /** Reads per store-executor task: small enough that both store threads share a large turn's reads. */
    static final int CHUNK = 8;

    private record Pending<T>(Supplier<T> read, CompletableFuture<T> answer) {}

    private final Executor storeExecutor;
    private final FastThreadLocal<List<Pending<T>>> pending = new FastThreadLocal<>() {
        @Override
        protected List<Pending<T>> initialValue() {
            return new ArrayList<>();
        }
    };

    TurnBatchedReads(Executor storeExecutor) {
        this.storeExecutor = storeExecutor;
    }

    /** Runs {@code read} on the store executor, with the other reads of this turn; the answer completes on {@code loop}. */
    CompletableFuture<T> read(EventLoop loop, Supplier<T> read) {
        Pending<T> p = new Pending<>(read, new CompletableFuture<>());
        if (!loop.inEventLoop()) {
            submit(loop, List.of(p));
            return p.answer();
        }
        List<Pending<T>> mine = pending.get();
        if (mine.isEmpty()) loop.execute(() -> flush(loop));
        mine.add(p);
        return p.answer();
    }

    /**
     * Hands the loop's pending reads over, in chunks. On the loop. The list is emptied first: a rejected chunk's
     * callbacks run here and may ask for reads, which then start the next batch.
     */
    private void flush(EventLoop loop) {
        List<Pending<T>> mine = pending.get();
        List<Pending<T>> taken = List.copyOf(mine);
        mine.clear();
        for (int from = 0; from < taken.size(); from += CHUNK) {
            submit(loop, taken.subList(from, Math.min(taken.size(), from + CHUNK)));
        }
    }

    private void submit(EventLoop loop, List<Pending<T>> chunk) {
        try {
            storeExecutor.execute(() -> answer(loop, chunk, readAll(chunk)));
        } catch (RejectedExecutionException e) {
            for (Pending<T> p : chunk) p.answer().completeExceptionally(e);
        }
    }

    /** Each read's value, or what it threw. On the store executor. */
    private static <T> List<Object> readAll(List<Pending<T>> chunk) {
        List<Object> outcomes = new ArrayList<>(chunk.size());
        for (Pending<T> p : chunk) {
            try {
                outcomes.add(p.read().get());
            } catch (RuntimeException e) {
                outcomes.add(new Failed(e));
            }
        }
        return outcomes;
    }

    private record Failed(RuntimeException error) {}

    private void answer(EventLoop loop, List<Pending<T>> chunk, List<Object> outcomes) {
        Runnable complete = () -> {
            for (int i = 0; i < chunk.size(); i++) complete(chunk.get(i).answer(), outcomes.get(i));
        };
        try {
            loop.execute(complete);
        } catch (RejectedExecutionException e) { // the loop is shutting down: answer here rather than never
            complete.run();
        }
    }

    @SuppressWarnings("unchecked") // outcomes hold a T or a Failed, written by readAll for this very chunk
    private static <T> void complete(CompletableFuture<T> answer, Object outcome) {
        if (outcome instanceof Failed f) answer.completeExceptionally(f.error());
        else answer.complete((T) outcome);
    }
}
