package dev.edgecache.proxy.cache;

import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.origin.OriginRequest;
import dev.edgecache.proxy.origin.OriginResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Validation of a stored response with the origin (RFC 9111 §4.3): the conditional request, and the response a
 * 304 stands for. Stateless.
 */
public final class Revalidation {
    /**
     * Kept from the stored response when a 304 updates it (RFC 9111 §3.2: Content-Length is never updated). A 304's
     * {@code ETag} does replace the stored one (§4.3.4).
     */
    private static final Set<String> NOT_UPDATED = Set.of("content-length", "content-encoding", "content-range");

    private Revalidation() {}

    /**
     * {@code request} made conditional on {@code stored} (§4.3.1): {@code If-None-Match} with the origin's own entity
     * tag, weak or strong (the origin compares weakly, RFC 9110 §13.1.2), never one the edge made from the body, and
     * {@code If-Modified-Since} with its {@code Last-Modified}.
     */
    public static OriginRequest conditional(OriginRequest request, StoredEntry stored) {
        List<Header> headers = new ArrayList<>(request.headers().size() + 2);
        for (Header h : request.headers()) {
            String n = h.name().toLowerCase(Locale.ROOT);
            if (!n.equals("if-none-match") && !n.equals("if-modified-since")) headers.add(h);
        }
        String originTag = originTag(stored);
        if (originTag != null) headers.add(new Header("If-None-Match", originTag));
        String lastModified = stored.header("Last-Modified");
        if (lastModified != null) headers.add(new Header("If-Modified-Since", lastModified));
        return request.withHeaders(headers);
    }

    /**
     * The stored entity tag when the origin issued it, or null when the edge made it from the body. The origin's
     * {@code ETag} is kept among the stored headers, so the tag is the origin's when that header is it. An entry
     * stored before the header was kept has none and gets one unconditional refresh.
     */
    static @Nullable String originTag(StoredEntry stored) {
        String header = stored.header("ETag");
        return header != null && header.equals(stored.etag()) ? header : null;
    }

    /**
     * The full response a 304 validates (§4.3.4): the stored status and body, with the stored fields replaced by the
     * 304's fields of the same name (its {@code Date}, {@code Age}, {@code Cache-Control}, {@code Expires}, a new
     * {@code ETag}...), so freshness and the stored tag are computed again as for a new response. The stored {@code
     * Date} goes even when the 304 has none: kept, it would make the freshened response look as old as the first one
     * (§4.2.3 apparent age); the store then dates it on receipt (RFC 9110 §6.6.1).
     */
    public static OriginResponse merge(StoredEntry stored, OriginResponse notModified) {
        Set<String> hop = HopByHop.namesIn(notModified.headers());
        Set<String> replaced = new HashSet<>();
        replaced.add("date");
        List<Header> update = new ArrayList<>();
        for (Header h : notModified.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (hop.contains(name) || NOT_UPDATED.contains(name)) continue;
            replaced.add(name);
            update.add(h);
        }
        List<Header> merged = new ArrayList<>(stored.headers().size() + update.size() + 2);
        for (Header h : stored.headers()) {
            if (!replaced.contains(h.name().toLowerCase(Locale.ROOT))) merged.add(h);
        }
        merged.addAll(update);
        if (!stored.tags().isEmpty()) merged.add(new Header("Cache-Tag", String.join(",", stored.tags())));
        return new OriginResponse(stored.status(), merged, stored.body());
    }
}
