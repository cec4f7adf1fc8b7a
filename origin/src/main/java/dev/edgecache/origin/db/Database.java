package dev.edgecache.origin.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The origin's relational store behind JDBC: a HikariCP pool, read work and serialised write transactions, on SQLite
 * (embedded, the default) or PostgreSQL (shared by several origin processes). Writes take one in-process lock, and
 * on PostgreSQL also one advisory lock held until commit, so a transaction that reads then writes (unique checks,
 * the outbox) never races another writer, in this process or another one. That also keeps outbox ids committed in
 * increasing order, which "delivered up to id N" relies on, and SQLite never answers {@code SQLITE_BUSY} to a
 * read-then-write upgrade.
 *
 * <p>Thread-safe. Owns its pool and closes it in {@link #close()}.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** Connections in the pool unless configured: the origin's work is short transactions on virtual threads. */
    public static final int DEFAULT_POOL_SIZE = 8;

    private final String url;
    private final Dialect dialect;
    private final HikariDataSource pool;
    private final ReentrantLock writeLock = new ReentrantLock();

    private Database(String url, Dialect dialect, HikariDataSource pool) {
        this.url = url;
        this.dialect = dialect;
        this.pool = pool;
    }

    /** {@link #open(String, int)} with {@value #DEFAULT_POOL_SIZE} connections. */
    public static Database open(String url) {
        return open(url, DEFAULT_POOL_SIZE);
    }

    /**
     * Opens the pool (failing at once if the database cannot be reached), creating the SQLite file's directory if
     * needed, and migrates the schema.
     */
    public static Database open(String url, int poolSize) {
        Dialect dialect;
        try {
            dialect = Dialect.of(url);
        } catch (IllegalArgumentException e) {
            throw new DatabaseException(String.valueOf(e.getMessage()), e);
        }
        if (dialect == Dialect.SQLITE) createDirectory(url);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(url, dialect, poolSize));
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new DatabaseException("cannot connect to " + url + ": " + cause.getMessage(), e);
        }
        Database db = new Database(url, dialect, pool);
        try {
            int version = db.write(c -> Migrations.migrate(c, dialect));
            log.info("database.open url={} dialect={} pool={} schema-version={}", url, dialect, poolSize, version);
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static HikariConfig poolConfig(String url, Dialect dialect, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("origin-db");
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(1); // one attempt at start-up: a wrong URL or a server that is down fails
        if (dialect == Dialect.SQLITE) {
            // driver properties, applied to every new connection
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("foreign_keys", "true");
            config.addDataSourceProperty("busy_timeout", "5000");
            config.addDataSourceProperty("synchronous", "NORMAL");
        }
        return config;
    }

    /** Runs read-only work on a pooled connection in auto-commit mode. */
    public <T> T read(SqlWork<T> work) {
        try (Connection c = connection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw new DatabaseException("read failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code work} in one transaction, serialised with every other write (of every origin sharing the
     * database): committed when it returns, rolled back when it throws (the exception is rethrown;
     * {@link SQLException} wrapped in {@link DatabaseException}).
     */
    public <T> T write(SqlWork<T> work) {
        writeLock.lock();
        try (Connection c = connection()) { // the lock is released also when connection() throws
            c.setAutoCommit(false);
            try {
                Optional<String> lock = dialect.writeLockSql();
                if (lock.isPresent()) {
                    try (Statement s = c.createStatement()) {
                        s.execute(lock.get());
                    }
                }
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new DatabaseException("write failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private Connection connection() {
        if (pool.isClosed()) throw new DatabaseException("database is closed", null);
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw new DatabaseException("cannot connect to " + url + ": " + e.getMessage(), e);
        }
    }

    private static void createDirectory(String url) {
        String file = url.substring(Dialect.SQLITE.urlPrefix().length());
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

    public Dialect dialect() {
        return dialect;
    }

    /** Closes the pool: idle connections at once, borrowed ones as they are given back. */
    @Override
    public void close() {
        pool.close();
    }
}
