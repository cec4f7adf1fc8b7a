package dev.edgecache.origin.testing;

import dev.edgecache.origin.account.AccountService;
import dev.edgecache.origin.account.LoginThrottle;
import dev.edgecache.origin.account.PasswordHasher;
import dev.edgecache.origin.account.SessionUser;
import dev.edgecache.origin.account.Usernames;
import dev.edgecache.origin.blog.PostService;
import dev.edgecache.origin.db.Database;
import dev.edgecache.origin.outbox.Outbox;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A database with the account and post services over it, for tests below the HTTP layer. */
public final class TestBlog implements AutoCloseable {
    public final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    public final Database db;
    public final Outbox outbox;
    public final AccountService accounts;
    public final PostService posts;

    /** On an empty SQLite file in {@code dir}. */
    public TestBlog(Path dir) {
        this(TestDatabase.SQLITE, dir);
    }

    /** On an empty database of the given kind (SQLite files go in {@code dir}). */
    public TestBlog(TestDatabase database, Path dir) {
        db = Database.open(database.newUrl(dir));
        outbox = new Outbox(true, clock);
        accounts = new AccountService(
                db,
                new PasswordHasher(TestOrigins.CHEAP_ITERATIONS),
                new Usernames(Set.of()),
                new LoginThrottle(5, 20, Duration.ofMinutes(15), clock),
                outbox,
                Duration.ofDays(1),
                clock);
        posts = new PostService(db, outbox, clock);
    }

    /** Creates a user and returns it as if signed in. */
    public SessionUser user(String name) {
        return accounts.signUp(name, "long-enough-password").user();
    }

    /** The outbox payloads, oldest first. */
    public List<String> outboxPayloads() {
        return db.read(c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT payload FROM outbox ORDER BY id")) {
                List<String> out = new ArrayList<>();
                while (rs.next()) out.add(rs.getString(1));
                return out;
            }
        });
    }

    public void clearOutbox() {
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("DELETE FROM outbox");
            }
        });
    }

    @Override
    public void close() {
        db.close();
    }
}
