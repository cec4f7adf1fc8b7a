package dev.edgecache.proxy.origin;

import dev.edgecache.common.store.Header;
import java.util.List;

/**
 * A request to send to the origin, already stripped of hop-by-hop headers and with the forwarding headers set
 * ({@link OriginRequests}). The body array is not copied and must not be modified after construction.
 */
public record OriginRequest(String method, String target, List<Header> headers, byte[] body) {
    public OriginRequest {
        headers = List.copyOf(headers);
    }

    /** Whether the request carries a field named {@code name} (case-insensitive). */
    public boolean has(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) return true;
        }
        return false;
    }

    /** GET and HEAD may be retried on a fresh connection when a pooled one turns out to be closed. */
    public boolean isIdempotent() {
        return method.equals("GET") || method.equals("HEAD");
    }
}
