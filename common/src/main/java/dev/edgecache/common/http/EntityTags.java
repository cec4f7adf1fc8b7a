package dev.edgecache.common.http;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/** Entity-tag helpers (RFC 9110 §8.8.3 and §13.1.2). */
public final class EntityTags {
    private EntityTags() {}

    /** True for a syntactically valid strong tag such as {@code "abc"}. */
    public static boolean isStrong(@Nullable String etag) {
        return etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"");
    }

    /**
     * True for a syntactically valid entity-tag, weak or strong (RFC 9110 §8.8.3): {@code [W/] DQUOTE *etagc DQUOTE}
     * where etagc is {@code %x21 / %x23-7E / obs-text}.
     */
    public static boolean isValid(@Nullable String etag) {
        if (etag == null) return false;
        String opaque = opaque(etag);
        if (opaque.length() < 2 || opaque.charAt(0) != '"' || opaque.charAt(opaque.length() - 1) != '"') return false;
        for (int i = 1; i < opaque.length() - 1; i++) {
            char c = opaque.charAt(i);
            if (c < 0x21 || c == '"' || c == 0x7F || c > 0xFF) return false;
        }
        return true;
    }

    /** True for a valid weak tag such as {@code W/"abc"} (RFC 9110 §8.8.3). */
    public static boolean isWeak(@Nullable String etag) {
        return etag != null && etag.startsWith("W/") && isValid(etag);
    }

    /** A strong tag derived from the body: the first 128 bits of its SHA-256, base64url. */
    public static String ofBody(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16))
                    + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /**
     * The tag of a content-coded copy of the representation tagged {@code etag}: a different representation needs a
     * different tag (RFC 9110 §8.8.3), so the coding is appended inside the quotes; a weak tag stays weak
     * ({@code W/"abc"} → {@code W/"abc-gzip"}), a strong one strong.
     */
    public static String forCoding(String etag, String coding) {
        return etag.substring(0, etag.length() - 1) + "-" + coding + "\"";
    }

    /**
     * {@code If-None-Match} evaluation (RFC 9110 §13.1.2): true when {@code header} is {@code *} or lists a tag
     * that weakly matches {@code etag}.
     */
    public static boolean noneMatchFails(String header, String etag) {
        String trimmed = header.trim();
        if (trimmed.equals("*")) return true;
        String opaque = opaque(etag);
        int i = 0;
        while (i < trimmed.length()) {
            int start = trimmed.indexOf('"', i);
            if (start < 0) return false;
            int end = trimmed.indexOf('"', start + 1);
            if (end < 0) return false;
            String candidate = trimmed.substring(start, end + 1);
            if (candidate.equals(opaque)) return true;
            i = end + 1;
        }
        return false;
    }

    private static String opaque(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }
}
