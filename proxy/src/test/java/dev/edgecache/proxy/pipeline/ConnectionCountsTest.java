package dev.edgecache.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class ConnectionCountsTest {
    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getAllByName(literal)[0];
    }

    @Test
    void eachAddressGetsAtMostMaxAndSlotsComeBack() throws UnknownHostException {
        ConnectionCounts counts = new ConnectionCounts(2);
        InetAddress a = ip("192.0.2.1");
        InetAddress b = ip("2001:db8::1");
        assertThat(counts.tryAcquire(a)).isTrue();
        assertThat(counts.tryAcquire(a)).isTrue();
        assertThat(counts.tryAcquire(a)).isFalse();
        assertThat(counts.tryAcquire(b)).isTrue(); // another address has its own budget
        assertThat(counts.open(a)).isEqualTo(2);
        counts.release(a);
        assertThat(counts.tryAcquire(a)).isTrue();
        counts.release(a);
        counts.release(a);
        counts.release(b);
        assertThat(counts.open(a)).isZero();
        assertThat(counts.open(b)).isZero();
        counts.release(a); // more releases than acquires cannot go negative or leave an entry
        assertThat(counts.open(a)).isZero();
    }

    @Test
    void aCapBelowOneIsAProgrammingError() {
        assertThatThrownBy(() -> new ConnectionCounts(0)).hasMessageContaining("got 0");
    }
}
