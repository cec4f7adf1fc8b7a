package dev.edgecache.origin.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    @TempDir
    Path dir;

    /** A write that cannot get a connection must not keep the write lock (found by Error Prone's LockNotBeforeTry). */
    @Test
    void aWriteThatCannotBorrowAConnectionReleasesTheWriteLock() throws Exception {
        Database db = Database.open("jdbc:sqlite:" + dir.resolve("test.db"));
        db.close();
        assertThatThrownBy(() -> db.write(c -> 1)).isInstanceOf(DatabaseException.class);
        CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
            try {
                db.write(c -> 1);
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        assertThat(other.get(5, TimeUnit.SECONDS)).isInstanceOf(DatabaseException.class);
    }

    @Test
    void aDatabaseThatCannotBeReachedOrIsNotSupportedFailsAtOpenSayingWhich() {
        assertThatThrownBy(() -> Database.open("jdbc:postgresql://127.0.0.1:1/blog?connectTimeout=2"))
                .isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("cannot connect to jdbc:postgresql://127.0.0.1:1/blog");
        assertThatThrownBy(() -> Database.open("jdbc:h2:mem:blog"))
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining("use jdbc:sqlite:<file> or jdbc:postgresql://host:port/db");
    }
}
