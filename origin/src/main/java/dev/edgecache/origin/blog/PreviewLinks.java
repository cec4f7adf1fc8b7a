package dev.edgecache.origin.blog;

import dev.edgecache.origin.account.Tokens;
import dev.edgecache.origin.db.Database;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Shareable preview links of a post in any state: {@code /preview/{id}?expires={epoch seconds}&sig={HMAC}}. The
 * signature is HMAC-SHA256, under a server key, of the post id, the post's creation time (so a link never opens
 * another post that later gets the same id) and the expiry, so anyone holding the link can read the post until it
 * expires, and nobody can make or extend one without the key. Thread-safe.
 */
public final class PreviewLinks {
    static final String SECRET_NAME = "preview-link-key";
    private static final String HMAC = "HmacSHA256";

    /** What a link is worth. */
    public enum Verdict {
        VALID,
        /** Well signed, past its expiry. */
        EXPIRED,
        /** Not made with our key (or tampered with, or malformed). */
        INVALID
    }

    private final SecretKeySpec key;
    private final Duration ttl;
    private final InstantSource clock;

    PreviewLinks(String secret, Duration ttl, InstantSource clock) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * Links signed with {@code configuredSecret}, or, when that is empty, with a random key made once and kept in
     * {@code site_secrets} (the first origin to start on a database makes it, under the write lock).
     */
    public static PreviewLinks open(Database db, String configuredSecret, Duration ttl, InstantSource clock) {
        String secret = configuredSecret.isEmpty() ? storedSecret(db) : configuredSecret;
        return new PreviewLinks(secret, ttl, clock);
    }

    private static String storedSecret(Database db) {
        return db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT value FROM site_secrets WHERE name = ?")) {
                p.setString(1, SECRET_NAME);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) return rs.getString(1);
                }
            }
            String fresh = Tokens.random();
            try (PreparedStatement p = c.prepareStatement("INSERT INTO site_secrets (name, value) VALUES (?, ?)")) {
                p.setString(1, SECRET_NAME);
                p.setString(2, fresh);
                p.executeUpdate();
            }
            return fresh;
        });
    }

    /** A link to {@code post} that works for the configured lifetime from now. */
    public String pathFor(Post post) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        return "/preview/" + post.id() + "?expires=" + expires + "&sig=" + sign(post.id(), post.createdAt(), expires);
    }

    /** The expiry of a link made now, epoch seconds (for "works until …"). */
    public long expiryOfNewLink() {
        return clock.instant().plus(ttl).getEpochSecond();
    }

    /** Checks a link's {@code expires} and {@code sig} against {@code post}; the signature first, in constant time. */
    public Verdict check(Post post, String expiresText, String sig) {
        long expires;
        try {
            expires = Long.parseLong(expiresText);
        } catch (NumberFormatException e) {
            return Verdict.INVALID;
        }
        String expected = sign(post.id(), post.createdAt(), expires);
        if (!MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), sig.getBytes(StandardCharsets.US_ASCII))) {
            return Verdict.INVALID;
        }
        return clock.instant().getEpochSecond() < expires ? Verdict.VALID : Verdict.EXPIRED;
    }

    private String sign(long postId, long createdAt, long expires) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            byte[] d = mac.doFinal(
                    ("preview:" + postId + ":" + createdAt + ":" + expires).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
