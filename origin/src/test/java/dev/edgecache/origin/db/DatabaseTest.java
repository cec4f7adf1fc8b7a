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
}
