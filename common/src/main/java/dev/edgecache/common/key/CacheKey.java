package dev.edgecache.common.key;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a cached page is stored under: the normalised path and query of a request. The one factory, {@link
 * #fromRequestTarget}, applies the normalisation used for routing, keying and forwarding alike, so that the
 * three can never disagree (a path that routes to {@code pass} cannot be keyed as a cacheable one).
 *
 * <p>Normalisation (RFC 3986 §6.2.2): percent-encodings of unreserved characters are decoded, other
 * percent-encodings are upper-cased, dot-segments are removed (after decoding, so {@code %2e%2e} cannot
 * climb), and an encoded {@code /} or NUL, a malformed escape or a control character is rejected. The query
 * keeps its order; an empty query is dropped.
 *
 * @param path normalised path, always starting with {@code /}
 * @param query normalised query without the {@code ?}, or empty
 */
public record CacheKey(String path, String query) {
    public CacheKey {
        if (!path.startsWith("/")) throw new IllegalArgumentException("path must start with '/', got '" + path + "'");
    }

    /** Parses and normalises an origin-form ({@code /a?b}) or absolute-form request target. */
    public static CacheKey fromRequestTarget(String target) {
        String t = target;
        if (t.regionMatches(true, 0, "http://", 0, 7) || t.regionMatches(true, 0, "https://", 0, 8)) {
            int slash = t.indexOf('/', t.indexOf("//") + 2);
            t = slash < 0 ? "/" : t.substring(slash);
        }
        if (!t.startsWith("/")) throw new BadRequestTargetException("request target must start with '/'");
        int hash = t.indexOf('#');
        if (hash >= 0) t = t.substring(0, hash);
        int q = t.indexOf('?');
        String rawPath = q < 0 ? t : t.substring(0, q);
        String rawQuery = q < 0 ? "" : t.substring(q + 1);
        return new CacheKey(removeDotSegments(normalise(rawPath, true)), normalise(rawQuery, false));
    }

    /** The request target to forward: {@code path} plus {@code ?query} when there is one. */
    public String target() {
        return query.isEmpty() ? path : path + "?" + query;
    }

    /** Stable byte encoding (UTF-8 of {@link #target()}): the RocksDB key suffix and the unit of prefix purges. */
    public byte[] toBytes() {
        return target().getBytes(StandardCharsets.UTF_8);
    }

    public static CacheKey fromBytes(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        int q = s.indexOf('?');
        return q < 0 ? new CacheKey(s, "") : new CacheKey(s.substring(0, q), s.substring(q + 1));
    }

    @Override
    public String toString() {
        return target();
    }

    private static String normalise(String raw, boolean isPath) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new BadRequestTargetException("malformed percent-encoding");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw new BadRequestTargetException("malformed percent-encoding");
                int b = hi * 16 + lo;
                if (b == 0) throw new BadRequestTargetException("encoded NUL in request target");
                if (isPath && b == '/') throw new BadRequestTargetException("encoded '/' in path");
                if (isUnreserved(b)) out.append((char) b);
                else out.append('%').append(Character.toUpperCase(raw.charAt(i + 1)))
                        .append(Character.toUpperCase(raw.charAt(i + 2)));
                i += 2;
            } else if (c < 0x21 || c == 0x7F) {
                throw new BadRequestTargetException("control or space character in request target");
            } else if (c > 0x7E) {
                // Netty decodes the request line byte by byte (ISO-8859-1): re-encode the raw byte
                if (c > 0xFF) throw new BadRequestTargetException("non-ASCII character in request target");
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static boolean isUnreserved(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || b == '-' || b == '.' || b == '_' || b == '~';
    }

    /** RFC 3986 §5.2.4, on segments; a trailing slash is kept. */
    private static String removeDotSegments(String path) {
        String[] parts = path.split("/", -1);
        List<String> out = new ArrayList<>(parts.length);
        for (int i = 1; i < parts.length; i++) {
            String s = parts[i];
            boolean last = i == parts.length - 1;
            if (s.equals(".")) {
                if (last) out.add("");
            } else if (s.equals("..")) {
                if (!out.isEmpty()) out.remove(out.size() - 1);
                if (last) out.add("");
            } else {
                out.add(s);
            }
        }
        return "/" + String.join("/", out);
    }
}
