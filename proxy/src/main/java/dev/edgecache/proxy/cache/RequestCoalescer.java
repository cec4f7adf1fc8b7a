package dev.edgecache.proxy.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Collapses concurrent fetches of one key into one: the first caller (the leader) runs the fetch, later callers
 * wait on the same future until it completes. At most {@code maxWaiters} may wait on one key; past that,
 * {@link #join} answers {@link Join#rejected()} so the caller can shed load instead of queueing without bound.
 * Thread-safe.
 */
public final class RequestCoalescer<K, V> {
    private final ConcurrentHashMap<K, Flight<V>> inFlight = new ConcurrentHashMap<>();
    private final int maxWaiters;

    public RequestCoalescer(int maxWaiters) {
        if (maxWaiters < 0) throw new IllegalArgumentException("maxWaiters must not be negative, got " + maxWaiters);
        this.maxWaiters = maxWaiters;
    }

    /** The result of joining: the shared future, and whether this caller leads the fetch. */
    public record Join<V>(@Nullable CompletableFuture<V> future, boolean leader) {
        static <V> Join<V> rejectedJoin() {
            return new Join<>(null, false);
        }

        public boolean rejected() {
            return future == null;
        }
    }

    private record Flight<V>(CompletableFuture<V> future, AtomicInteger waiters) {}

    /**
     * Joins the fetch in flight for {@code key}, or starts one with {@code fetch} (called at most once per flight,
     * outside any lock). The flight is forgotten before it completes.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // land() completes the flight's own future
    public Join<V> join(K key, Supplier<CompletableFuture<V>> fetch) {
        Flight<V> mine = new Flight<>(new CompletableFuture<>(), new AtomicInteger());
        Flight<V> existing = inFlight.putIfAbsent(key, mine);
        if (existing != null) {
            if (existing.waiters().incrementAndGet() > maxWaiters) {
                existing.waiters().decrementAndGet();
                return Join.rejectedJoin();
            }
            return new Join<>(existing.future(), false);
        }
        try {
            fetch.get().whenComplete((v, e) -> land(key, mine, v, e));
        } catch (RuntimeException e) {
            land(key, mine, null, e);
        }
        return new Join<>(mine.future(), true);
    }

    /**
     * Forgets the flight, then completes it. In this order a caller whose callback on the future starts a new
     * request for the key (a reader who got the answer and asks again) never joins the finished flight: a
     * {@code whenComplete} that removed it would run after such callbacks, as dependents run last-registered first.
     */
    private void land(K key, Flight<V> flight, @Nullable V value, @Nullable Throwable error) {
        inFlight.remove(key, flight);
        if (error != null) flight.future().completeExceptionally(error);
        else flight.future().complete(value);
    }

    /** Number of keys with a fetch in flight. */
    public int inFlight() {
        return inFlight.size();
    }
}
