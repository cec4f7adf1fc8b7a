package dev.edgecache.origin.account;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed log-ins per account and per client address in a sliding window; once either count reaches its
 * limit, further attempts are refused until old failures leave the window. In memory (a restart forgets), which is
 * enough to make online guessing slow. Thread-safe; time comes from the injected clock.
 */
public final class LoginThrottle {
    private static final int MAX_KEYS = 100_000;

    private final int perAccount;
    private final int perAddress;
    private final long windowMillis;
    private final InstantSource clock;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(int perAccount, int perAddress, Duration window, InstantSource clock) {
        this.perAccount = perAccount;
        this.perAddress = perAddress;
        this.windowMillis = window.toMillis();
        this.clock = clock;
    }

    /** True if a log-in for this account from this address may be tried now. */
    public boolean allows(String username, String address) {
        long now = clock.millis();
        return count("u:" + username, now) < perAccount && count("a:" + address, now) < perAddress;
    }

    public void recordFailure(String username, String address) {
        long now = clock.millis();
        if (failures.size() > MAX_KEYS) prune(now);
        add("u:" + username, now);
        add("a:" + address, now);
    }

    /** A successful log-in clears the account's failures (the address keeps its count). */
    public void recordSuccess(String username) {
        failures.remove("u:" + username);
    }

    /** Seconds until the oldest counted failure leaves the window (for {@code Retry-After}). */
    public long retryAfterSeconds() {
        return Math.max(1, windowMillis / 1000);
    }

    private int count(String key, long now) {
        Deque<Long> times = failures.get(key);
        if (times == null) return 0;
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst() <= now - windowMillis) times.pollFirst();
            return times.size();
        }
    }

    private void add(String key, long now) {
        Deque<Long> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(now);
            if (times.size() > Math.max(perAccount, perAddress) * 2) times.pollFirst();
        }
    }

    private void prune(long now) {
        failures.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                Long last = e.getValue().peekLast();
                return last == null || last <= now - windowMillis;
            }
        });
    }
}
