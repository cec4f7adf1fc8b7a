package dev.edgecache.common.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Parsed {@code Cache-Control} directives (RFC 9111 §5.2). Directive names are case-insensitive; a directive
 * that appears twice keeps its first value (RFC 9111 §4.2.1 says a response with two different values for one
 * directive is to be treated as stale, which callers get by checking {@link #hasConflicts()}; a repeated identical
 * directive is no conflict). {@link #parseTargeted} reads the same directives from a targeted field such as
 * {@code CDN-Cache-Control}, which is a Structured Field (RFC 9213 §2.2).
 */
public final class CacheControl {
    private static final CacheControl EMPTY = new CacheControl(Map.of(), false);
    /** Directives whose value is a delta-seconds: an Integer in a targeted field. */
    private static final Set<String> INTEGER_DIRECTIVES =
            Set.of("max-age", "s-maxage", "stale-while-revalidate", "stale-if-error");
    /** Directives that never take a value: a Boolean in a targeted field. */
    private static final Set<String> BOOLEAN_DIRECTIVES = Set.of(
            "no-store",
            "public",
            "must-revalidate",
            "proxy-revalidate",
            "must-understand",
            "immutable",
            "no-transform");

    private final Map<String, @Nullable String> directives;
    private final boolean conflicts;

    private CacheControl(Map<String, @Nullable String> directives, boolean conflicts) {
        this.directives = directives;
        this.conflicts = conflicts;
    }

    /** Parses all given header values (a field may be repeated or comma-joined). */
    public static CacheControl parse(Iterable<String> values) {
        Map<String, @Nullable String> map = new LinkedHashMap<>();
        boolean conflicts = false;
        for (String value : values) {
            int i = 0;
            int n = value.length();
            while (i < n) {
                while (i < n && (value.charAt(i) == ',' || value.charAt(i) == ' ' || value.charAt(i) == '\t')) i++;
                int start = i;
                while (i < n && value.charAt(i) != '=' && value.charAt(i) != ',') i++;
                String name = value.substring(start, i).trim().toLowerCase(Locale.ROOT);
                String arg = null;
                if (i < n && value.charAt(i) == '=') {
                    i++;
                    if (i < n && value.charAt(i) == '"') {
                        StringBuilder sb = new StringBuilder();
                        i++;
                        while (i < n && value.charAt(i) != '"') {
                            if (value.charAt(i) == '\\' && i + 1 < n) i++;
                            sb.append(value.charAt(i++));
                        }
                        i++; // closing quote
                        arg = sb.toString();
                        while (i < n && value.charAt(i) != ',') i++;
                    } else {
                        int s = i;
                        while (i < n && value.charAt(i) != ',') i++;
                        arg = value.substring(s, i).trim();
                    }
                }
                if (!name.isEmpty()) {
                    if (!map.containsKey(name)) map.put(name, arg);
                    else if (!Objects.equals(map.get(name), arg)) conflicts = true;
                }
            }
        }
        return map.isEmpty() ? EMPTY : new CacheControl(map, conflicts);
    }

    public static CacheControl parse(@Nullable String value) {
        return value == null ? EMPTY : parse(List.of(value));
    }

    /**
     * The directives of a targeted field (RFC 9213 §2.2), whose lines together are a Structured Field Dictionary
     * (RFC 9651 §3.2): empty when the field is empty or invalid, which makes the cache ignore it and fall back to
     * {@code Cache-Control} (§2.2: "that field SHOULD be ignored"). A known directive with a value of the wrong type
     * ({@code max-age="60"}, {@code no-store=5}) makes the field invalid too; {@code ?0} removes a directive.
     */
    public static Optional<CacheControl> parseTargeted(List<String> lines) {
        Optional<Map<String, StructuredDictionary.Member>> dictionary = StructuredDictionary.parse(lines);
        if (dictionary.isEmpty() || dictionary.get().isEmpty()) return Optional.empty();
        Map<String, @Nullable String> map = new LinkedHashMap<>();
        for (Map.Entry<String, StructuredDictionary.Member> e : dictionary.get().entrySet()) {
            String name = e.getKey();
            StructuredDictionary.Member m = e.getValue();
            boolean isTrue =
                    m.kind() == StructuredDictionary.Kind.BOOLEAN && m.text().equals("1");
            boolean isFalse =
                    m.kind() == StructuredDictionary.Kind.BOOLEAN && m.text().equals("0");
            if (INTEGER_DIRECTIVES.contains(name)) {
                if (m.kind() != StructuredDictionary.Kind.INTEGER || m.text().startsWith("-")) return Optional.empty();
                map.put(name, m.text());
            } else if (BOOLEAN_DIRECTIVES.contains(name)) {
                if (!isTrue && !isFalse) return Optional.empty();
                if (isTrue) map.put(name, null);
            } else if (name.equals("no-cache") || name.equals("private")) {
                if (m.kind() == StructuredDictionary.Kind.STRING) map.put(name, m.text());
                else if (isTrue) map.put(name, null);
                else if (!isFalse) return Optional.empty();
            } else if (!isFalse) {
                map.put(name, isTrue ? null : m.text()); // an extension: its value is not ours to judge
            }
        }
        return Optional.of(map.isEmpty() ? EMPTY : new CacheControl(map, false));
    }

    public boolean has(String directive) {
        return directives.containsKey(directive);
    }

    public Optional<String> argument(String directive) {
        return Optional.ofNullable(directives.get(directive));
    }

    /** A delta-seconds argument ({@code max-age=60}); absent or malformed gives empty. */
    public OptionalLong seconds(String directive) {
        String arg = directives.get(directive);
        if (arg == null || arg.isEmpty()) return OptionalLong.empty();
        for (int i = 0; i < arg.length(); i++) {
            if (!Character.isDigit(arg.charAt(i))) return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(arg));
        } catch (NumberFormatException e) {
            // RFC 9111 §1.2.2: a delta-seconds too large to represent is taken as 2^31
            return OptionalLong.of(Integer.MAX_VALUE);
        }
    }

    public boolean isNoStore() {
        return has("no-store");
    }

    /** {@code private} with no field names: the whole response is for one user only. */
    public boolean isPrivate() {
        return has("private");
    }

    /** {@code no-cache} with no field names: the stored response must be revalidated before every use. */
    public boolean isNoCache() {
        return has("no-cache") && directives.get("no-cache") == null;
    }

    /**
     * The field names of a qualified {@code no-cache} or {@code private} ({@code private="Set-Cookie, X-User"},
     * RFC 9111 §5.2.2.4, §5.2.2.7), lower-cased; empty when the directive is absent or unqualified.
     */
    public List<String> fieldNames(String directive) {
        String arg = directives.get(directive);
        if (arg == null) return List.of();
        List<String> names = new ArrayList<>();
        for (String n : arg.split(",")) {
            String t = n.strip().toLowerCase(Locale.ROOT);
            if (!t.isEmpty()) names.add(t);
        }
        return names;
    }

    public boolean hasConflicts() {
        return conflicts;
    }

    @Override
    public String toString() {
        return directives.toString();
    }
}
