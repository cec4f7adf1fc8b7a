package dev.edgecache.proxy.origin;

import dev.edgecache.common.store.Header;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A request to send to the origin, already stripped of hop-by-hop headers and with the forwarding headers set
 * ({@link OriginRequests}). The body array is not copied and must not be modified after construction.
 *
 * @param interim where the origin's interim responses to it go (RFC 9110 §15.2: a proxy forwards them to the reader
 *     whose request this is), or null to drop them; called on the origin connection's event loop
 */
public record OriginRequest(
        String method,
        String target,
        List<Header> headers,
        byte[] body,
        @Nullable Consumer<OriginResponse> interim) {
    public OriginRequest {
        headers = List.copyOf(headers);
    }

    /** A request whose interim responses are dropped. */
    public OriginRequest(String method, String target, List<Header> headers, byte[] body) {
        this(method, target, headers, body, null);
    }

    /** The same request, its interim responses going to {@code sink}. */
    public OriginRequest withInterim(Consumer<OriginResponse> sink) {
        return new OriginRequest(method, target, headers, body, sink);
    }

    /** The same request (and interim sink) with other fields. */
    public OriginRequest withHeaders(List<Header> replaced) {
        return new OriginRequest(method, target, replaced, body, interim);
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
