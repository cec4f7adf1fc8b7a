package dev.edgecache.common.key;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a cached page is stored under: the normalised path and query of a request, and its site when sites are
 * configured. {@link KeyRules#key} (and {@link #fromRequestTarget} for the default rules) applies the
 * normalisation used for routing, keying and forwarding alike, so that the three can never disagree (a path that
 * routes to {@code pass} cannot be keyed as a cacheable one, and the origin renders exactly what is keyed).
 *
 * <p>Normalisation (RFC 3986 §6.2.2): percent-encodings of unreserved characters are decoded, other
 * percent-encodings are upper-cased, duplicate slashes are merged (unless configured {@code keep}), dot-segments
 * are removed (after decoding, so {@code %2e%2e} cannot climb), and an encoded {@code /} or NUL, a malformed
 * escape or a control character is rejected. Query parameters are sorted by name, stably (parameters of one name
 * keep their order, since {@code a=1&a=2} and {@code a=2&a=1} may differ), configured ones are dropped, empty ones
 * removed; an empty query is dropped.
 *
 * @param path normalised path, always starting with {@code /}
 * @param query normalised query without the {@code ?}, or empty
 * @param host the site ({@link KeyRules#normaliseHost}), or empty when no sites are configured
 */
public record CacheKey(String path, String query, String host) {
    /** Separates the target from the site in {@link #toBytes}; never part of a normalised target (fragments are cut). */
    private static final char HOST_SEPARATOR = '#';

    public CacheKey {
        if (!path.startsWith("/")) throw new IllegalArgumentException("path must start with '/', got '" + path + "'");
        if (host.indexOf(HOST_SEPARATOR) >= 0) throw new IllegalArgumentException("bad host '" + host + "'");
    }

    /** A key with no site. */
    public CacheKey(String path, String query) {
        this(path, query, "");
    }

    /** Parses and normalises an origin-form ({@code /a?b}) or absolute-form request target with the default rules. */
    public static CacheKey fromRequestTarget(String target) {
        return normalise(target, KeyRules.DEFAULT, "");
    }

    static CacheKey normalise(String target, KeyRules rules, String host) {
        String t = target;
        if (authorityOf(t) != null) {
            int slash = t.indexOf('/', t.indexOf("//") + 2);
            t = slash < 0 ? "/" : t.substring(slash);
        }
        if (!t.startsWith("/")) throw new BadRequestTargetException("request target must start with '/'");
        int hash = t.indexOf('#');
        if (hash >= 0) t = t.substring(0, hash);
        int q = t.indexOf('?');
        String rawPath = q < 0 ? t : t.substring(0, q);
        String rawQuery = q < 0 ? "" : t.substring(q + 1);
        String path;
        if (isAlreadyNormal(rawPath)) { // the common case: nothing to decode, no dot-segments, no '//'
            path = rawPath;
        } else {
            path = normalise(rawPath, true);
            if (rules.mergeSlashes()) path = mergeSlashes(path);
            path = removeDotSegments(path);
        }
        return new CacheKey(path, rawQuery.isEmpty() ? "" : query(normalise(rawQuery, false), rules), host);
    }

    /** The authority of an absolute-form target ({@code http://host:port/...}), or null for origin-form. */
    static @Nullable String authorityOf(String target) {
        int start;
        if (target.regionMatches(true, 0, "http://", 0, 7)) start = 7;
        else if (target.regionMatches(true, 0, "https://", 0, 8)) start = 8;
        else return null;
        int end = start;
        while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) end++;
        return target.substring(start, end);
    }

    /** Sorted by name (stable), configured names dropped, empty parameters removed. */
    private static String query(String normalised, KeyRules rules) {
        if (normalised.isEmpty()) return normalised;
        List<String> params = new ArrayList<>();
        for (String p : normalised.split("&")) {
            if (!p.isEmpty() && !rules.drops(nameOf(p))) params.add(p);
        }
        params.sort(Comparator.comparing(CacheKey::nameOf)); // List.sort is stable
        return String.join("&", params);
    }

    private static String nameOf(String param) {
        int eq = param.indexOf('=');
        return eq < 0 ? param : param.substring(0, eq);
    }

    /** The request target to forward: {@code path} plus {@code ?query} when there is one. */
    public String target() {
        return query.isEmpty() ? path : path + "?" + query;
    }

    /**
     * Stable byte encoding: UTF-8 of {@link #target()}, then {@code #host} when there is a site. The target comes
     * first so that a target prefix is a key prefix for every site (prefix purges, key listings).
     */
    public byte[] toBytes() {
        String t = target();
        return (host.isEmpty() ? t : t + HOST_SEPARATOR + host).getBytes(StandardCharsets.UTF_8);
    }

    public static CacheKey fromBytes(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        int h = s.indexOf(HOST_SEPARATOR);
        String host = h < 0 ? "" : s.substring(h + 1);
        if (h >= 0) s = s.substring(0, h);
        int q = s.indexOf('?');
        return q < 0 ? new CacheKey(s, "", host) : new CacheKey(s.substring(0, q), s.substring(q + 1), host);
    }

    @Override
    public String toString() {
        return host.isEmpty() ? target() : host + target();
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
                else
                    out.append('%')
                            .append(Character.toUpperCase(raw.charAt(i + 1)))
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

    /** True when normalising {@code rawPath} would return it unchanged (checked without allocating). */
    private static boolean isAlreadyNormal(String rawPath) {
        char previous = 0;
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%' || c < 0x21 || c > 0x7E) return false;
            if (previous == '/' && (c == '/' || c == '.')) return false;
            previous = c;
        }
        return true;
    }

    private static String mergeSlashes(String path) {
        if (!path.contains("//")) return path;
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '/' || out.isEmpty() || out.charAt(out.length() - 1) != '/') out.append(c);
        }
        return out.toString();
    }

    private static boolean isUnreserved(int b) {
        return (b >= 'a' && b <= 'z')
                || (b >= 'A' && b <= 'Z')
                || (b >= '0' && b <= '9')
                || b == '-'
                || b == '.'
                || b == '_'
                || b == '~';
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
