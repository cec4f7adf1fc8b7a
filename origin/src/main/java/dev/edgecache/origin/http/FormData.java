package dev.edgecache.origin.http;

import dev.edgecache.origin.RejectedException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code application/x-www-form-urlencoded} fields (also used for query strings). */
public record FormData(Map<String, List<String>> fields) {
    public FormData {
        fields = Map.copyOf(fields);
    }

    /** Parses {@code a=1&b=x+y}; malformed escapes are a 400 for the caller. */
    public static FormData parse(String encoded) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (encoded.isEmpty()) return new FormData(out);
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return new FormData(out);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw RejectedException.badRequest("malformed form or query encoding");
        }
    }

    public Optional<String> get(String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public String getOrEmpty(String name) {
        return get(name).orElse("");
    }
}
