package dev.edgecache.proxy.cache;

import dev.edgecache.common.key.CacheKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Purge fencing: a render that started before a purge and finishes after it must not be stored as fresh.
 *
 * <p>Each purge takes the next sequence number and is remembered (the last {@value #REMEMBERED}). A render notes
 * the sequence when it starts; its store write then runs through {@link #storeUnlessPurged}, which refuses when a
 * later purge matches the page, or when so many purges happened that the ones in question were forgotten. The
 * check and the write hold the read lock and {@link #record} holds the write lock, so a purge is either recorded
 * before the check (the write is refused) or after the write (its deletes then remove the page). The sequence lives
 * in memory only: it fences renders in flight in this process, and none survive a restart. Thread-safe.
 */
public final class PurgeFence {
    static final int REMEMBERED = 4096;

    private record Purge(long sequence, PurgeMatcher matcher) {}

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ArrayDeque<Purge> recent = new ArrayDeque<>();
    /** Purges recorded whose deletes have not finished: a write they match must wait for them to end. */
    private final List<Purge> running = new ArrayList<>();

    private volatile long sequence;

    /** The sequence a render notes when it starts. */
    public long current() {
        return sequence;
    }

    /**
     * Records a purge before its deletes run; returns its sequence number, which the purger hands to {@link #finished}
     * once the deletes are done.
     */
    public long record(PurgeMatcher matcher) {
        lock.writeLock().lock();
        try {
            long next = sequence + 1;
            Purge purge = new Purge(next, matcher);
            recent.addLast(purge);
            if (recent.size() > REMEMBERED) recent.removeFirst();
            running.add(purge);
            sequence = next;
            return next;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The purge {@code sequence} has deleted (or marked) everything it selected. */
    public void finished(long sequence) {
        lock.writeLock().lock();
        try {
            running.removeIf(p -> p.sequence() == sequence);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Runs {@code write} unless a purge recorded after {@code startSequence}, or one still running, matches the page.
     *
     * @return false when the write was refused
     */
    public boolean storeUnlessPurged(long startSequence, CacheKey key, List<String> tags, Runnable write) {
        lock.readLock().lock();
        try {
            // a purge still deleting: the write may carry what it is about to delete, or just deleted (found by SoakIT:
            // a disk read that began after the purge was recorded, but before its deletes, promoted the old page)
            for (Purge p : running) {
                if (p.matcher().matches(key, tags)) return false;
            }
            if (sequence != startSequence) {
                Purge oldest = recent.peekFirst();
                if (oldest == null || oldest.sequence() > startSequence + 1) return false; // forgotten: be safe
                for (Purge p : recent) {
                    if (p.sequence() > startSequence && p.matcher().matches(key, tags)) return false;
                }
            }
            write.run();
            return true;
        } finally {
            lock.readLock().unlock();
        }
    }
}
