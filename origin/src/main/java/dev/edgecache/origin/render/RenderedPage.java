package dev.edgecache.origin.render;

import java.nio.charset.StandardCharsets;

/**
 * A rendered page: status, content type, body and cache hints. The origin adds {@code ETag}, {@code Cache-Control}
 * and {@code Cache-Tag} from these; renderers never write headers.
 */
public record RenderedPage(int status, String contentType, byte[] body, CacheHints cache) {
    public static final String HTML = "text/html; charset=utf-8";

    public RenderedPage {
        if (status < 100 || status > 599) throw new IllegalArgumentException("status must be 100..599, got " + status);
        if (contentType.isBlank()) throw new IllegalArgumentException("contentType must not be blank");
    }

    public static RenderedPage html(int status, String html, CacheHints cache) {
        return new RenderedPage(status, HTML, html.getBytes(StandardCharsets.UTF_8), cache);
    }
}
