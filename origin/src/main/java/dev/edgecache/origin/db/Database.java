package dev.edgecache.origin.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The origin's relational store behind JDBC: a small pool of connections, read work and serialised write
 * transactions. Writes take one in-process lock, so a transaction that reads then writes (unique checks, the outbox)
 * never races another writer and SQLite never answers {@code SQLITE_BUSY} to a read-then-write upgrade.
 *
 * <p>Thread-safe. Owns its connections and closes them in {@link #close()}.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final int MAX_IDLE = 8;

    private final String url;
    private final boolean sqlite;
    private final BlockingQueue<Connection> idle = new ArrayBlockingQueue<>(MAX_IDLE);
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile boolean closed;

    private Database(String url) {
        this.url = url;
        this.sqlite = url.startsWith("jdbc:sqlite:");
    }

    /** Opens the database, creating the SQLite file's directory if needed, and migrates the schema. */
    public static Database open(String url) {
        Database db = new Database(url);
        db.createDirectory();
        if (db.sqlite) db.read(c -> execute(c, "PRAGMA journal_mode=WAL"));
        int version = db.write(Migrations::migrate);
        log.info("database.open url={} schema-version={}", url, version);
        return db;
    }

    /** Runs read-only work on a pooled connection in auto-commit mode. */
    public <T> T read(SqlWork<T> work) {
        Connection c = borrow();
        try {
            T result = work.apply(c);
            giveBack(c);
            return result;
        } catch (SQLException e) {
            discard(c);
            throw new DatabaseException("read failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            giveBack(c);
            throw e;
        }
    }

    /**
     * Runs {@code work} in one transaction, serialised with every other write: committed when it returns,
     * rolled back when it throws (the exception is rethrown; {@link SQLException} wrapped in
     * {@link DatabaseException}).
     */
    public <T> T write(SqlWork<T> work) {
        writeLock.lock();
        try {
            return writeLocked(work);
        } finally {
            writeLock.unlock(); // also when borrow() throws (closed, cannot connect): the lock was leaked then
        }
    }

    private <T> T writeLocked(SqlWork<T> work) {
        Connection c = borrow();
        try {
            c.setAutoCommit(false);
            T result;
            try {
                result = work.apply(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            giveBack(c);
            return result;
        } catch (SQLException e) {
            discard(c);
            throw new DatabaseException("write failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            giveBack(c);
            throw e;
        }
    }

    private Connection borrow() {
        if (closed) throw new DatabaseException("database is closed", null);
        Connection c = idle.poll();
        if (c != null) return c;
        try {
            c = DriverManager.getConnection(url);
            if (sqlite) {
                execute(c, "PRAGMA foreign_keys=ON");
                execute(c, "PRAGMA busy_timeout=5000");
                execute(c, "PRAGMA synchronous=NORMAL");
            }
            return c;
        } catch (SQLException e) {
            throw new DatabaseException("cannot connect to " + url + ": " + e.getMessage(), e);
        }
    }

    private void giveBack(Connection c) {
        if (closed || !idle.offer(c)) discard(c);
    }

    private static void discard(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("database.close-failed error={}", e.toString());
        }
    }

    private static int execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
            return 0;
        }
    }

    private void createDirectory() {
        if (!sqlite) return;
        String file = url.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        if (query >= 0) file = file.substring(0, query);
        if (file.startsWith("file:")) file = file.substring("file:".length());
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new DatabaseException("cannot create directory " + parent + ": " + e.getMessage(), e);
        }
    }

    public String url() {
        return url;
    }

    @Override
    public void close() {
        closed = true;
        Connection c;
        while ((c = idle.poll()) != null) discard(c);
    }
}
