package dev.edgecache.proxy.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.proxy.origin.CircuitBreaker.State;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private final AtomicLong nanos = new AtomicLong();
    private final CircuitBreaker circuit = new CircuitBreaker(3, Duration.ofSeconds(5), nanos::get);

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            assertThat(circuit.tryAcquire()).isTrue();
            circuit.onFailure();
        }
    }

    @Test
    void opensAfterTheThresholdOfConsecutiveFailuresAndRefusesUntilItsTimeIsUp() {
        fail(2);
        assertThat(circuit.state()).isEqualTo(State.CLOSED);
        fail(1);
        assertThat(circuit.state()).isEqualTo(State.OPEN);
        assertThat(circuit.tryAcquire()).isFalse();
        nanos.addAndGet(Duration.ofMillis(4999).toNanos());
        assertThat(circuit.tryAcquire()).isFalse();
    }

    @Test
    void aSuccessInBetweenResetsTheCount() {
        fail(2);
        circuit.onSuccess();
        fail(2);
        assertThat(circuit.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void afterTheOpenTimeOneProbeGoesAndItsSuccessClosesTheCircuit() {
        fail(3);
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(circuit.tryAcquire()).isTrue(); // the probe
        assertThat(circuit.state()).isEqualTo(State.HALF_OPEN);
        assertThat(circuit.tryAcquire()).isFalse(); // only one at a time
        circuit.onSuccess();
        assertThat(circuit.state()).isEqualTo(State.CLOSED);
        assertThat(circuit.tryAcquire()).isTrue();
    }

    @Test
    void aFailedProbeOpensTheCircuitAgainForAnotherFullPeriod() {
        fail(3);
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(circuit.tryAcquire()).isTrue();
        circuit.onFailure();
        assertThat(circuit.state()).isEqualTo(State.OPEN);
        nanos.addAndGet(Duration.ofSeconds(4).toNanos());
        assertThat(circuit.tryAcquire()).isFalse();
    }

    @Test
    void aZeroThresholdNeverOpens() {
        CircuitBreaker off = new CircuitBreaker(0, Duration.ofSeconds(5), nanos::get);
        for (int i = 0; i < 1000; i++) off.onFailure();
        assertThat(off.tryAcquire()).isTrue();
        assertThat(off.state()).isEqualTo(State.CLOSED);
    }
}
