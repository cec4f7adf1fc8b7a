package dev.edgecache.proxy.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.edgecache.common.store.EntryKey;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;

/**
 * Per-page error backoff (issue 8): after a render of a page failed because the origin was unavailable, further
 * misses of that page within {@code window} fail at once rather than each sending its own request to an origin in
 * trouble (collapsing covers only requests that arrive while a render is in flight). Bounded in size; time comes
 * from the injected clock. Thread-safe.
 */
final class ErrorBackoff {
    private static final int MAX_KEYS = 65_536;

    private final Duration window;
    private final Cache<EntryKey, Boolean> failing;

    /** @param window how long a failure holds back further renders of its page; zero turns the backoff off */
    ErrorBackoff(Duration window, InstantSource clock) {
        this.window = window;
        this.failing = Caffeine.newBuilder()
                .maximumSize(MAX_KEYS)
                .expireAfterWrite(window.isZero() ? Duration.ofNanos(1) : window)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    boolean active(EntryKey key) {
        return !window.isZero() && failing.getIfPresent(key) != null;
    }

    /** Records how a render of {@code key} ended: {@code unavailable} when it got no answer, or a 502, 503 or 504. */
    void rendered(EntryKey key, boolean unavailable) {
        if (window.isZero()) return;
        if (unavailable) failing.put(key, Boolean.TRUE);
        else failing.invalidate(key);
    }

    static boolean unavailable(int status) {
        return status >= 502 && status <= 504;
    }
}
