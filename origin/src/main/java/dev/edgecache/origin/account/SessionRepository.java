package dev.edgecache.origin.account;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** SQL for the {@code sessions} table; ids are stored as their SHA-256 digest. Stateless. */
final class SessionRepository {
    private SessionRepository() {}

    static void insert(Connection c, String token, long userId, String csrf, long now, long expiresAt)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO sessions (id_hash, user_id, csrf_token, "
                + "created_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
            p.setString(1, Tokens.digest(token));
            p.setLong(2, userId);
            p.setString(3, csrf);
            p.setLong(4, now);
            p.setLong(5, expiresAt);
            p.executeUpdate();
        }
    }

    static Optional<SessionUser> findValid(Connection c, String token, long now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT u.id, u.username, s.csrf_token FROM sessions s "
                + "JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND s.expires_at > ?")) {
            p.setString(1, Tokens.digest(token));
            p.setLong(2, now);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next()
                        ? Optional.of(new SessionUser(rs.getLong(1), rs.getString(2), rs.getString(3)))
                        : Optional.empty();
            }
        }
    }

    static int delete(Connection c, String token) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM sessions WHERE id_hash = ?")) {
            p.setString(1, Tokens.digest(token));
            return p.executeUpdate();
        }
    }

    static int deleteExpired(Connection c, long now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM sessions WHERE expires_at <= ?")) {
            p.setLong(1, now);
            return p.executeUpdate();
        }
    }
}
