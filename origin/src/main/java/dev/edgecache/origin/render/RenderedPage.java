package dev.edgecache.origin.render;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A rendered page: status, content type, body and cache hints. The origin adds {@code ETag}, {@code Cache-Control}
 * and {@code Cache-Tag} from these; renderers never write headers.
 *
 * @param location the target of a redirect ({@code 301}), sent as {@code Location}; null for every other page
 */
public record RenderedPage(
        int status,
        String contentType,
        byte[] body,
        CacheHints cache,
        @Nullable String location) {
    public static final String HTML = "text/html; charset=utf-8";

    public RenderedPage {
        if (status < 100 || status > 599) throw new IllegalArgumentException("status must be 100..599, got " + status);
        if (contentType.isBlank()) throw new IllegalArgumentException("contentType must not be blank");
        if ((location != null) != (status == 301 || status == 308)) {
            throw new IllegalArgumentException("a location goes with status 301 or 308 only, got " + status);
        }
        if (location != null && (!location.startsWith("/") || location.chars().anyMatch(ch -> ch < 0x21))) {
            throw new IllegalArgumentException("location must be a path on this site, got '" + location + "'");
        }
    }

    public RenderedPage(int status, String contentType, byte[] body, CacheHints cache) {
        this(status, contentType, body, cache, null);
    }

    public static RenderedPage html(int status, String html, CacheHints cache) {
        return new RenderedPage(status, HTML, html.getBytes(StandardCharsets.UTF_8), cache);
    }

    /**
     * A permanent redirect to {@code path} on this site: shared and stored by the edge like a page (a 301 is
     * cacheable by default), so it must carry the tags that purge it when its target moves again.
     */
    public static RenderedPage movedPermanently(String path, String html, CacheHints cache) {
        return new RenderedPage(301, HTML, html.getBytes(StandardCharsets.UTF_8), cache, path);
    }
}
