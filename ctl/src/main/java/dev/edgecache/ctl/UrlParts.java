package dev.edgecache.ctl;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Encodes operator input into admin-call paths and queries, so {@code ?}, {@code &} or spaces cannot break them. */
final class UrlParts {
    private UrlParts() {}

    /** One path segment, such as a deploy id. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * One query value. Slashes stay readable ({@code url=/alice/hello}); they are legal in a query
     * (RFC 3986 §3.4) and the audit log is easier to read without {@code %2F}.
     */
    static String queryValue(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("%2F", "/");
    }
}
