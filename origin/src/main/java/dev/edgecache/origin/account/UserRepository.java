package dev.edgecache.origin.account;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/** SQL for the {@code users} table. Stateless; every method runs on the caller's connection. */
final class UserRepository {
    /** The generated column to read back; PostgreSQL would otherwise return every column of the new row. */
    private static final String[] ID = {"id"};

    private UserRepository() {}

    static Optional<User> findByName(Connection c, String username) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("SELECT id, username, password_hash FROM users WHERE username = ?")) {
            p.setString(1, username);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next()
                        ? Optional.of(new User(rs.getLong(1), rs.getString(2), rs.getString(3)))
                        : Optional.empty();
            }
        }
    }

    static long insert(Connection c, String username, String passwordHash, long now) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("INSERT INTO users (username, password_hash, created_at) VALUES (?, ?, ?)", ID)) {
            p.setString(1, username);
            p.setString(2, passwordHash);
            p.setLong(3, now);
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                if (!keys.next()) throw new SQLException("no id generated for new user");
                return keys.getLong(1);
            }
        }
    }

    static void updateHash(Connection c, long userId, String passwordHash) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE users SET password_hash = ? WHERE id = ?")) {
            p.setString(1, passwordHash);
            p.setLong(2, userId);
            p.executeUpdate();
        }
    }

    static long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM users")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
