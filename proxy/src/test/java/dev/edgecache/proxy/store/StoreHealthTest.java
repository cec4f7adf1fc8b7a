package dev.edgecache.proxy.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.testing.FakeClock;
import dev.edgecache.proxy.store.StoreHealth.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.rocksdb.Status;

/** Issue 8.6: which RocksDB failures degrade the store, and what the readiness detail says. */
class StoreHealthTest {
    private final FakeClock clock = new FakeClock();
    private final StoreHealth health = new StoreHealth(clock);

    @Test
    void aStateChangeIsReportedOnceAndRecoveryOnce() {
        assertThat(health.snapshot().detail()).containsExactly(java.util.Map.entry("status", "ok"));
        assertThat(health.degrade(State.NO_SPACE, "disk full")).isTrue();
        assertThat(health.degrade(State.NO_SPACE, "disk still full"))
                .as("same state: no second report")
                .isFalse();
        assertThat(health.snapshot().reason()).isEqualTo("disk full");
        clock.advance(Duration.ofSeconds(3));
        assertThat(health.degrade(State.READ_ONLY, "remounted ro")).isTrue();
        assertThat(health.snapshot().detail())
                .containsEntry("status", "degraded")
                .containsEntry("state", "read-only")
                .containsEntry("reason", "remounted ro")
                .containsEntry("since", clock.instant().toString());
        assertThat(health.recover("space is back")).isTrue();
        assertThat(health.recover("again")).isFalse();
        assertThat(health.state()).isEqualTo(State.OK);
    }

    @Test
    void rocksDbFailuresAreClassifiedByCodeAndByTheOperatingSystemsText() {
        assertThat(StoreHealth.classify(new Status(Status.Code.IOError, Status.SubCode.NoSpace, "x"), null))
                .isEqualTo(State.NO_SPACE);
        assertThat(StoreHealth.classify(
                        new Status(
                                Status.Code.IOError, Status.SubCode.None, "While appending: No space left on device"),
                        null))
                .isEqualTo(State.NO_SPACE);
        assertThat(StoreHealth.classify(
                        new Status(Status.Code.IOError, Status.SubCode.None, "While open: Read-only file system"),
                        null))
                .isEqualTo(State.READ_ONLY);
        assertThat(StoreHealth.classify(new Status(Status.Code.IOError, Status.SubCode.None, "EIO"), null))
                .isEqualTo(State.FAILED);
        assertThat(StoreHealth.classify(new Status(Status.Code.Corruption, Status.SubCode.None, "bad block"), null))
                .isEqualTo(State.FAILED);
        assertThat(StoreHealth.classify(new Status(Status.Code.Busy, Status.SubCode.None, "busy"), null))
                .as("one busy call says nothing about the disk")
                .isNull();
        assertThat(StoreHealth.describe(new Status(Status.Code.IOError, Status.SubCode.NoSpace, "disk full"), null))
                .isEqualTo("IOError(NoSpace): disk full");
    }
}
