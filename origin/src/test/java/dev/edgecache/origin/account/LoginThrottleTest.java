package dev.edgecache.origin.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.origin.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(3, 5, Duration.ofMinutes(15), clock);

    @Test
    void accountIsBlockedAfterItsLimitOfFailuresUntilTheyLeaveTheWindow() {
        for (int i = 0; i < 3; i++) throttle.recordFailure("alice", "10.0.0." + i);
        assertThat(throttle.allows("alice", "10.0.0.9")).isFalse();
        assertThat(throttle.allows("bob", "10.0.0.9")).isTrue();
        clock.advance(Duration.ofMinutes(15));
        assertThat(throttle.allows("alice", "10.0.0.9")).isTrue();
    }

    @Test
    void addressIsBlockedAfterItsLimitAcrossAccounts() {
        for (int i = 0; i < 5; i++) throttle.recordFailure("user" + i, "10.0.0.1");
        assertThat(throttle.allows("someone-else", "10.0.0.1")).isFalse();
        assertThat(throttle.allows("someone-else", "10.0.0.2")).isTrue();
    }

    @Test
    void successClearsTheAccountsFailures() {
        throttle.recordFailure("alice", "10.0.0.1");
        throttle.recordFailure("alice", "10.0.0.1");
        throttle.recordSuccess("alice");
        throttle.recordFailure("alice", "10.0.0.1");
        assertThat(throttle.allows("alice", "10.0.0.1")).isTrue();
    }
}
