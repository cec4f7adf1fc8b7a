package dev.edgecache.common.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Parsed {@code Cache-Control} directives (RFC 9111 §5.2). Directive names are case-insensitive; a directive
 * that appears twice keeps its first value (RFC 9111 §4.2.1 says such a response is to be treated as stale,
 * which callers get by checking {@link #hasConflicts()}).
 */
public final class CacheControl {
    private static final CacheControl EMPTY = new CacheControl(Map.of(), false);

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
                    if (map.containsKey(name)) conflicts = true;
                    else map.put(name, arg);
                }
            }
        }
        return map.isEmpty() ? EMPTY : new CacheControl(map, conflicts);
    }

    public static CacheControl parse(@Nullable String value) {
        return value == null ? EMPTY : parse(java.util.List.of(value));
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

    public boolean hasConflicts() {
        return conflicts;
    }

    @Override
    public String toString() {
        return directives.toString();
    }
}
