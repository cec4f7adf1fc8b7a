package dev.edgecache.origin.http;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Parses {@code Cookie} request headers and writes {@code Set-Cookie} values. */
public final class Cookies {
    private Cookies() {}

    /** Name to value; the first occurrence of a name wins (RFC 6265 §5.4 order: longest path first). */
    static Map<String, String> parse(List<String> headers) {
        Map<String, String> out = new HashMap<>();
        for (String header : headers) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) continue;
                String name = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                out.putIfAbsent(name, value);
            }
        }
        return out;
    }

    /** {@code name=value; Path=/; Max-Age=…; HttpOnly; SameSite=Lax} and {@code Secure} when asked. */
    public static String set(String name, String value, Duration maxAge, boolean secure) {
        return name + "=" + value + "; Path=/; Max-Age=" + maxAge.toSeconds() + "; HttpOnly; SameSite=Lax"
                + (secure ? "; Secure" : "");
    }

    /** A {@code Set-Cookie} value that deletes the cookie. */
    public static String clear(String name, boolean secure) {
        return set(name, "", Duration.ZERO, secure);
    }
}
