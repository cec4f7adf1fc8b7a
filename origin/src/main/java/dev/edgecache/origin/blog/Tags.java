package dev.edgecache.origin.blog;

import dev.edgecache.origin.RejectedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Post tags: lower-case ASCII words joined by hyphens, at most {@value #MAX_LENGTH} characters and
 * {@value #MAX_PER_POST} per post, stored in {@code post_tags} and listed at {@code /tags/{tag}}. Also the SQL of
 * that table. Stateless.
 */
public final class Tags {
    public static final int MAX_LENGTH = 30;
    public static final int MAX_PER_POST = 8;
    public static final Pattern VALID = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");

    private Tags() {}

    /** {@code "Java, edge caching"} → {@code [java, edge-caching]}: the editor's one-line form. */
    public static List<String> parse(String line) {
        return Arrays.stream(line.split(","))
                .map(t -> t.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", "-"))
                .filter(t -> !t.isEmpty())
                .toList();
    }

    public static boolean isValid(String tag) {
        return tag.length() <= MAX_LENGTH && VALID.matcher(tag).matches();
    }

    /** The tags deduplicated in order; 400 naming the rule for a bad one or too many. */
    static List<String> check(List<String> tags) {
        Set<String> out = new LinkedHashSet<>();
        for (String tag : tags) {
            if (!isValid(tag)) {
                throw RejectedException.badRequest(
                        "invalid tag '" + (tag.length() > 40 ? tag.substring(0, 40) + "…" : tag)
                                + "': use lower-case letters, digits and single hyphens, at most " + MAX_LENGTH
                                + " characters");
            }
            out.add(tag);
        }
        if (out.size() > MAX_PER_POST) throw RejectedException.badRequest("at most " + MAX_PER_POST + " tags per post");
        return List.copyOf(out);
    }

    /** The post's tags, alphabetical. */
    static List<String> of(Connection c, long postId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT tag FROM post_tags WHERE post_id = ? ORDER BY tag")) {
            p.setLong(1, postId);
            try (ResultSet rs = p.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) out.add(rs.getString(1));
                return out;
            }
        }
    }

    /** Replaces the post's tags. */
    static void set(Connection c, long postId, List<String> tags) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM post_tags WHERE post_id = ?")) {
            p.setLong(1, postId);
            p.executeUpdate();
        }
        if (tags.isEmpty()) return;
        try (PreparedStatement p = c.prepareStatement("INSERT INTO post_tags (post_id, tag) VALUES (?, ?)")) {
            for (String tag : tags) {
                p.setLong(1, postId);
                p.setString(2, tag);
                p.addBatch();
            }
            p.executeBatch();
        }
    }
}
