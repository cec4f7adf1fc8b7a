package dev.edgecache.origin.render;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the edge may cache a page.
 *
 * @param tags purge tags, sent as {@code Cache-Tag} (e.g. {@code post:alice/hello}); the origin purges by these
 * @param ttl a freshness hint for shared caches ({@code s-maxage}); empty means revalidate every time
 *     ({@code max-age=0, must-revalidate}) and let the edge's route decide
 * @param personal the page depends on the signed-in user: {@code private, no-store}, never shared
 */
public record CacheHints(List<String> tags, Optional<Duration> ttl, boolean personal) {
    public CacheHints {
        tags = List.copyOf(tags);
        for (String tag : tags) {
            if (tag.isBlank() || tag.contains(",") || tag.chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
                throw new IllegalArgumentException(
                        "tag must be visible ASCII without ',' or spaces, got '" + tag + "'");
            }
        }
        if (ttl.isPresent() && ttl.get().isNegative()) throw new IllegalArgumentException("ttl must not be negative");
    }

    /** A shared page with these tags. */
    public static CacheHints tags(String... tags) {
        return new CacheHints(List.of(tags), Optional.empty(), false);
    }

    /** A page for one user only. */
    public static CacheHints personalPage() {
        return new CacheHints(List.of(), Optional.empty(), true);
    }

    public CacheHints withTtl(Duration value) {
        return new CacheHints(tags, Optional.of(value), personal);
    }
}
