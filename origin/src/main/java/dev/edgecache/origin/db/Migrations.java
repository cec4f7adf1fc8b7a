package dev.edgecache.origin.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema, as an ordered list of migrations. Version {@code n} is {@code STEPS.get(n - 1)}; the applied version
 * is the single row of {@code schema_version}. Append new steps; never edit an applied one. Statements are written
 * once for both dialects, with {@code {id}} and {@code {long}} for the column types that differ
 * ({@link Dialect#ddl}); a step that only one dialect needs says so.
 */
final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    /** One schema version: its statements, run only on the dialects listed. */
    record Step(Set<Dialect> dialects, List<String> statements) {
        static Step all(String... statements) {
            return new Step(EnumSet.allOf(Dialect.class), List.of(statements));
        }

        static Step only(Dialect dialect, String... statements) {
            return new Step(EnumSet.of(dialect), List.of(statements));
        }
    }

    static final List<Step> STEPS = List.of(
            Step.all(
                    """
            CREATE TABLE users (
              id {id},
              username TEXT NOT NULL UNIQUE,
              password_hash TEXT NOT NULL,
              created_at {long} NOT NULL)""",
                    """
            CREATE TABLE sessions (
              id_hash TEXT PRIMARY KEY,
              user_id {long} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              csrf_token TEXT NOT NULL,
              created_at {long} NOT NULL,
              expires_at {long} NOT NULL)""",
                    "CREATE INDEX sessions_by_expiry ON sessions(expires_at)",
                    """
            CREATE TABLE posts (
              id {id},
              user_id {long} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              slug TEXT NOT NULL,
              title TEXT NOT NULL,
              body TEXT NOT NULL,
              status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'unpublished')),
              created_at {long} NOT NULL,
              updated_at {long} NOT NULL,
              published_at {long},
              UNIQUE (user_id, slug))""",
                    "CREATE INDEX posts_by_publication ON posts(status, published_at DESC)",
                    """
            CREATE TABLE outbox (
              id {id},
              payload TEXT NOT NULL,
              created_at {long} NOT NULL,
              attempts INTEGER NOT NULL DEFAULT 0,
              next_attempt_at {long} NOT NULL,
              last_error TEXT)"""),
            // 2: outbox ids never come back after a delivered row is deleted, so "delivered up to id N" stays true.
            // SQLite reuses the highest rowid without AUTOINCREMENT; PostgreSQL identities never go back.
            Step.only(
                    Dialect.SQLITE,
                    """
                    CREATE TABLE outbox_v2 (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      payload TEXT NOT NULL,
                      created_at INTEGER NOT NULL,
                      attempts INTEGER NOT NULL DEFAULT 0,
                      next_attempt_at INTEGER NOT NULL,
                      last_error TEXT)""",
                    "INSERT INTO outbox_v2 SELECT id, payload, created_at, attempts, next_attempt_at, last_error FROM outbox",
                    "DROP TABLE outbox",
                    "ALTER TABLE outbox_v2 RENAME TO outbox"),
            // 3: the slugs a post was published under before its current one, answered with 301 (links that last)
            Step.all("""
                    CREATE TABLE post_slugs (
                      user_id {long} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                      slug TEXT NOT NULL,
                      post_id {long} NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
                      created_at {long} NOT NULL,
                      PRIMARY KEY (user_id, slug))""", "CREATE INDEX post_slugs_by_post ON post_slugs(post_id)"),
            // 4: keys the origin makes once and every origin sharing the database uses (the preview link key)
            Step.all("CREATE TABLE site_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)"),
            // 5: tags on posts, listed at /tags/{tag}
            Step.all("""
                    CREATE TABLE post_tags (
                      post_id {long} NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
                      tag TEXT NOT NULL,
                      PRIMARY KEY (post_id, tag))""", "CREATE INDEX post_tags_by_tag ON post_tags(tag, post_id)"),
            // 6: full-text search over titles and bodies: SQLite's FTS5 (an external-content index kept by
            // triggers), PostgreSQL's tsvector (a generated column with a GIN index)
            Step.only(
                    Dialect.SQLITE,
                    "CREATE VIRTUAL TABLE posts_fts USING fts5(title, body, content='posts', content_rowid='id', "
                            + "tokenize='porter unicode61')",
                    "INSERT INTO posts_fts(posts_fts) VALUES ('rebuild')",
                    """
                    CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
                      INSERT INTO posts_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
                    END""",
                    """
                    CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
                      INSERT INTO posts_fts(posts_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
                    END""",
                    """
                    CREATE TRIGGER posts_fts_update AFTER UPDATE ON posts BEGIN
                      INSERT INTO posts_fts(posts_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
                      INSERT INTO posts_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
                    END"""),
            Step.only(
                    Dialect.POSTGRESQL,
                    "ALTER TABLE posts ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
                            + "(setweight(to_tsvector('english', title), 'A') || "
                            + "setweight(to_tsvector('english', body), 'B')) STORED",
                    "CREATE INDEX posts_search ON posts USING GIN (search_vector)"),
            // 8: images authors upload, named by the hash of their bytes; in the database so every origin sharing
            // it serves them
            Step.all("""
                    CREATE TABLE images (
                      hash TEXT PRIMARY KEY,
                      user_id {long} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                      content_type TEXT NOT NULL,
                      width INTEGER NOT NULL,
                      height INTEGER NOT NULL,
                      bytes {blob} NOT NULL,
                      created_at {long} NOT NULL)"""));

    private Migrations() {}

    /** Brings the schema up to date inside the caller's transaction; returns the resulting version. */
    static int migrate(Connection c, Dialect dialect) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        }
        int current = currentVersion(c);
        if (current > STEPS.size()) {
            throw new DatabaseException(
                    "database schema version " + current + " is newer than this origin (" + STEPS.size()
                            + "); refusing to start",
                    null);
        }
        for (int v = current + 1; v <= STEPS.size(); v++) {
            Step step = STEPS.get(v - 1);
            if (step.dialects().contains(dialect)) {
                try (Statement s = c.createStatement()) {
                    for (String sql : step.statements()) s.execute(dialect.ddl(sql));
                }
            }
            log.info("database.migrated version={}", v);
        }
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM schema_version");
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO schema_version (version) VALUES (?)")) {
            p.setInt(1, STEPS.size());
            p.executeUpdate();
        }
        return STEPS.size();
    }

    static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
