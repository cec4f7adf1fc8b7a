package dev.edgecache.origin.blog;

import dev.edgecache.origin.db.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** SQL for the {@code posts} table (joined with {@code users} for the author's name). Stateless. */
final class PostRepository {
    /** The generated column to read back; PostgreSQL would otherwise return every column of the new row. */
    private static final String[] ID = {"id"};

    private static final String COLUMNS = "SELECT p.id, p.user_id, u.username, p.slug, p.title, p.body, p.status, "
            + "p.created_at, p.updated_at, p.published_at ";
    private static final String SELECT = COLUMNS + "FROM posts p JOIN users u ON u.id = p.user_id ";
    private static final String PUBLISHED_ORDER = " ORDER BY p.published_at DESC, p.id DESC";

    private PostRepository() {}

    static Optional<Post> findById(Connection c, long id) throws SQLException {
        return one(c, SELECT + "WHERE p.id = ?", id);
    }

    static Optional<Post> findPublished(Connection c, String username, String slug) throws SQLException {
        return one(c, SELECT + "WHERE u.username = ? AND p.slug = ? AND p.status = 'published'", username, slug);
    }

    static boolean slugTaken(Connection c, long userId, String slug, long exceptId) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("SELECT 1 FROM posts WHERE user_id = ? AND slug = ? AND id <> ?")) {
            p.setLong(1, userId);
            p.setString(2, slug);
            p.setLong(3, exceptId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    static long insert(Connection c, Post post) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO posts (user_id, slug, title, body, status, "
                        + "created_at, updated_at, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                ID)) {
            p.setLong(1, post.userId());
            bindContent(p, 2, post);
            p.setLong(6, post.createdAt());
            p.setLong(7, post.updatedAt());
            bindPublishedAt(p, 8, post);
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                if (!keys.next()) throw new SQLException("no id generated for new post");
                return keys.getLong(1);
            }
        }
    }

    static void update(Connection c, Post post) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE posts SET slug = ?, title = ?, body = ?, status = ?, "
                + "updated_at = ?, published_at = ? WHERE id = ?")) {
            bindContent(p, 1, post);
            p.setLong(5, post.updatedAt());
            bindPublishedAt(p, 6, post);
            p.setLong(7, post.id());
            p.executeUpdate();
        }
    }

    static void delete(Connection c, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM posts WHERE id = ?")) {
            p.setLong(1, id);
            p.executeUpdate();
        }
    }

    /** Every post of a user, most recently changed first (dashboard). */
    static List<Post> byUser(Connection c, long userId) throws SQLException {
        return many(c, SELECT + "WHERE p.user_id = ? ORDER BY p.updated_at DESC, p.id DESC", userId);
    }

    static List<Post> publishedByUser(Connection c, String username, int offset, int limit) throws SQLException {
        return many(
                c,
                SELECT + "WHERE u.username = ? AND p.status = 'published'" + PUBLISHED_ORDER + " LIMIT ? OFFSET ?",
                username,
                limit,
                offset);
    }

    static long countPublished(Connection c, String username) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM posts p JOIN users u ON u.id = p.user_id "
                + "WHERE u.username = ? AND p.status = 'published'")) {
            p.setString(1, username);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static List<Post> latestPublished(Connection c, int limit) throws SQLException {
        return latestPublished(c, 0, limit);
    }

    static List<Post> latestPublished(Connection c, int offset, int limit) throws SQLException {
        return many(c, SELECT + "WHERE p.status = 'published'" + PUBLISHED_ORDER + " LIMIT ? OFFSET ?", limit, offset);
    }

    static List<Post> publishedWithTag(Connection c, String tag, int offset, int limit) throws SQLException {
        return many(
                c,
                SELECT + "JOIN post_tags t ON t.post_id = p.id WHERE t.tag = ? AND p.status = 'published'"
                        + PUBLISHED_ORDER + " LIMIT ? OFFSET ?",
                tag,
                limit,
                offset);
    }

    /**
     * Published posts matching every one of {@code terms} (words, already split), best match first: FTS5's bm25
     * on SQLite (title weighted 10 to the body's 1), {@code ts_rank} over the weighted tsvector on PostgreSQL.
     */
    static List<Post> search(Connection c, Dialect dialect, List<String> terms, int offset, int limit)
            throws SQLException {
        if (terms.isEmpty()) return List.of();
        return switch (dialect) {
            case SQLITE ->
                many(
                        c,
                        COLUMNS + "FROM (SELECT rowid AS id, bm25(posts_fts, 10.0, 1.0) AS score FROM posts_fts "
                                + "WHERE posts_fts MATCH ?) s JOIN posts p ON p.id = s.id "
                                + "JOIN users u ON u.id = p.user_id WHERE p.status = 'published' "
                                + "ORDER BY s.score, p.id DESC LIMIT ? OFFSET ?",
                        ftsQuery(terms),
                        limit,
                        offset);
            case POSTGRESQL ->
                many(
                        c,
                        SELECT + "WHERE p.search_vector @@ plainto_tsquery('english', ?) AND p.status = 'published' "
                                + "ORDER BY ts_rank(p.search_vector, plainto_tsquery('english', ?)) DESC, p.id DESC "
                                + "LIMIT ? OFFSET ?",
                        String.join(" ", terms),
                        String.join(" ", terms),
                        limit,
                        offset);
        };
    }

    /** Each term as an FTS5 string (quotes doubled), so no user input is read as FTS5 query syntax. */
    static String ftsQuery(List<String> terms) {
        return terms.stream().map(t -> "\"" + t.replace("\"", "\"\"") + "\"").collect(Collectors.joining(" "));
    }

    static boolean userExists(Connection c, String username) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM users WHERE username = ?")) {
            p.setString(1, username);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Users with at least one published post, most recently published first. */
    static List<String> activeAuthors(Connection c, int limit) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT u.username FROM posts p JOIN users u ON u.id = p.user_id "
                + "WHERE p.status = 'published' GROUP BY u.username ORDER BY MAX(p.published_at) DESC LIMIT ?")) {
            p.setInt(1, limit);
            try (ResultSet rs = p.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) out.add(rs.getString(1));
                return out;
            }
        }
    }

    private static void bindContent(PreparedStatement p, int first, Post post) throws SQLException {
        p.setString(first, post.slug());
        p.setString(first + 1, post.title());
        p.setString(first + 2, post.body());
        p.setString(first + 3, post.status().key());
    }

    private static void bindPublishedAt(PreparedStatement p, int index, Post post) throws SQLException {
        if (post.publishedAt() == null) p.setNull(index, Types.BIGINT);
        else p.setLong(index, post.publishedAt());
    }

    private static Optional<Post> one(Connection c, String sql, Object... args) throws SQLException {
        List<Post> posts = many(c, sql, args);
        return posts.isEmpty() ? Optional.empty() : Optional.of(posts.get(0));
    }

    private static List<Post> many(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) p.setObject(i + 1, args[i]);
            try (ResultSet rs = p.executeQuery()) {
                List<Post> out = new ArrayList<>();
                while (rs.next()) out.add(read(rs));
                return out;
            }
        }
    }

    private static Post read(ResultSet rs) throws SQLException {
        long publishedAt = rs.getLong(10);
        Long published = rs.wasNull() ? null : publishedAt;
        return new Post(
                rs.getLong(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                PostStatus.fromKey(rs.getString(7)),
                rs.getLong(8),
                rs.getLong(9),
                published);
    }
}
