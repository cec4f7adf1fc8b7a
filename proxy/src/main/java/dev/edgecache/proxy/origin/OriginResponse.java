package dev.edgecache.proxy.origin;

import dev.edgecache.common.store.Header;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A complete origin response, copied off the network buffers (no {@code ByteBuf} escapes the origin client).
 * Immutable; safe to hand to every collapsed waiter.
 */
public record OriginResponse(int status, List<Header> headers, byte[] body) {
    public OriginResponse {
        headers = List.copyOf(headers);
    }

    public @Nullable String header(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) return h.value();
        }
        return null;
    }

    public List<String> headers(String name) {
        List<String> values = new ArrayList<>(1);
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) values.add(h.value());
        }
        return values;
    }
}
