package dev.edgecache.proxy.cluster;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * This node's position in the cluster log and what the recent entries did here, so that the admin call that
 * appended an entry can wait until this node has applied it and answer with its purge count. The consumer thread
 * writes; admin threads wait. Thread-safe (one monitor; every step is short).
 */
final class Applied {
    static final int REMEMBERED = 1024;

    private record Waiter(StreamId id, CompletableFuture<Integer> done) {}

    private StreamId position;
    private final Map<StreamId, Integer> recent = new LinkedHashMap<>();
    private final List<Waiter> waiters = new ArrayList<>();

    Applied(StreamId position) {
        this.position = position;
    }

    synchronized StreamId position() {
        return position;
    }

    /** Records that {@code id} was applied here, with its count (entries that are not purges count 0). */
    void applied(StreamId id, int count) {
        List<Waiter> ready = new ArrayList<>();
        synchronized (this) {
            if (id.isAfter(position)) position = id;
            recent.put(id, count);
            if (recent.size() > REMEMBERED)
                recent.remove(recent.keySet().iterator().next());
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (!w.id().isAfter(position)) {
                    ready.add(w);
                    it.remove();
                }
            }
        }
        for (Waiter w : ready) w.done().complete(countOf(w.id()));
    }

    /** Completes with the entry's count once this node has applied {@code id} (or anything after it). */
    CompletableFuture<Integer> when(StreamId id) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        synchronized (this) {
            if (id.isAfter(position)) {
                waiters.add(new Waiter(id, f));
                return f;
            }
        }
        f.complete(countOf(id));
        return f;
    }

    /** Forgets a waiter that gave up (timeout). */
    @SuppressWarnings("ReferenceEquality") // the very future handed out, not an equal one
    synchronized void cancel(CompletableFuture<Integer> f) {
        waiters.removeIf(w -> w.done() == f);
    }

    private synchronized int countOf(StreamId id) {
        return recent.getOrDefault(id, 0);
    }
}
