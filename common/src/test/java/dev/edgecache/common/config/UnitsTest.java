package dev.edgecache.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {
    @ParameterizedTest
    @CsvSource({"500ms,500", "10s,10000", "5m,300000", "1h,3600000", "1d,86400000", "0s,0"})
    void durationsParse(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "1.5s", "-1s", "10 sec", "s", "1w"})
    void badDurationsAreRefused(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).hasMessageContaining("expected a duration");
    }

    @ParameterizedTest
    @CsvSource({"90s,90s", "60s,1m", "1500ms,1500ms", "86400s,1d"})
    void durationsFormatShortest(String in, String out) {
        assertThat(Durations.format(Durations.parse(in))).isEqualTo(out);
    }

    @ParameterizedTest
    @CsvSource({"512B,512", "64KiB,65536", "256MiB,268435456", "1GiB,1073741824"})
    void sizesParse(String text, long bytes) {
        assertThat(Sizes.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"64KB", "1.5MiB", "MiB", "-1B", "99999999999GiB"})
    void badSizesAreRefused(String text) {
        assertThatThrownBy(() -> Sizes.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1:8080,127.0.0.1,8080,true", "localhost:0,localhost,0,true", "[::1]:9090,::1,9090,true"})
    void hostPortsParse(String text, String host, int port, boolean loopback) {
        HostPort hp = HostPort.parse(text);
        assertThat(hp.host()).isEqualTo(host);
        assertThat(hp.port()).isEqualTo(port);
        assertThat(hp.isLoopback()).isEqualTo(loopback);
    }
}
