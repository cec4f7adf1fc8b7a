package dev.edgecache.origin.blog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * SQL for {@code post_slugs}: the slugs a post was reachable under before its current one. An old slug answers
 * with a 301 to the post's current URL, so every old link leads straight to the newest one (no chains), as long as
 * the post is published. A slug belongs to at most one post per user: a post that takes a slug (new or renamed)
 * releases it from the history; deleting a post deletes its history (foreign key cascade). Stateless.
 */
final class SlugHistory {
    private SlugHistory() {}

    /** Records that {@code slug} of {@code userId} now leads to {@code postId}, replacing any earlier owner. */
    static void remember(Connection c, long userId, String slug, long postId, long now) throws SQLException {
        release(c, userId, slug);
        try (PreparedStatement p =
                c.prepareStatement("INSERT INTO post_slugs (user_id, slug, post_id, created_at) VALUES (?, ?, ?, ?)")) {
            p.setLong(1, userId);
            p.setString(2, slug);
            p.setLong(3, postId);
            p.setLong(4, now);
            p.executeUpdate();
        }
    }

    /** Forgets {@code slug} of {@code userId}, because a post uses it now; true if it was an old slug. */
    static boolean release(Connection c, long userId, String slug) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM post_slugs WHERE user_id = ? AND slug = ?")) {
            p.setLong(1, userId);
            p.setString(2, slug);
            return p.executeUpdate() > 0;
        }
    }

    /** True if {@code slug} of {@code userId} is an old slug of a post other than {@code postId}. */
    static boolean ledElsewhere(Connection c, long userId, String slug, long postId) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("SELECT 1 FROM post_slugs WHERE user_id = ? AND slug = ? AND post_id <> ?")) {
            p.setLong(1, userId);
            p.setString(2, slug);
            p.setLong(3, postId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The id of the post that {@code username} once published under {@code slug}, if any. */
    static Optional<Long> postFor(Connection c, String username, String slug) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("SELECT s.post_id FROM post_slugs s JOIN users u ON u.id = s.user_id "
                        + "WHERE u.username = ? AND s.slug = ?")) {
            p.setString(1, username);
            p.setString(2, slug);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }
}
