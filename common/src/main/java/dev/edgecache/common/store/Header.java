package dev.edgecache.common.store;

/** One response header field as stored: name as received, value verbatim. */
public record Header(String name, String value) {
    public Header {
        if (name.isEmpty()) throw new IllegalArgumentException("header name must not be empty");
    }
}
