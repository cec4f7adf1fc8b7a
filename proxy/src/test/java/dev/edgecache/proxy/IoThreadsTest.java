package dev.edgecache.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The reader port's event loops: one per core unless Netty's own property says otherwise (issue 12, RESULTS §19). */
class IoThreadsTest {
    @Test
    void oneEventLoopPerCoreByDefault() {
        String set = System.getProperty(EdgeServer.IO_THREADS_PROPERTY);
        System.clearProperty(EdgeServer.IO_THREADS_PROPERTY);
        try {
            assertThat(EdgeServer.ioThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        } finally {
            if (set != null) System.setProperty(EdgeServer.IO_THREADS_PROPERTY, set);
        }
    }

    @Test
    void nettysPropertyStillDecides() {
        String set = System.getProperty(EdgeServer.IO_THREADS_PROPERTY);
        System.setProperty(EdgeServer.IO_THREADS_PROPERTY, "5");
        try {
            assertThat(EdgeServer.ioThreads()).isEqualTo(5);
            System.setProperty(EdgeServer.IO_THREADS_PROPERTY, "0");
            assertThat(EdgeServer.ioThreads()).as("at least one").isEqualTo(1);
        } finally {
            if (set == null) System.clearProperty(EdgeServer.IO_THREADS_PROPERTY);
            else System.setProperty(EdgeServer.IO_THREADS_PROPERTY, set);
        }
    }
}
