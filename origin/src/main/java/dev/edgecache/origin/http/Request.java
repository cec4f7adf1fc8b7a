package dev.edgecache.origin.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the origin's handlers see it: decoded path, query parameters, headers with lower-case names,
 * cookies and the whole body. Independent of the HTTP server, so handlers are tested with plain values.
 *
 * @param remoteAddress the client's address (the edge's when behind it; see {@link #clientAddress()})
 */
public record Request(
        String method,
        String path,
        Map<String, List<String>> query,
        Map<String, List<String>> headers,
        byte[] body,
        String remoteAddress) {

    public Request {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public Optional<String> cookie(String name) {
        return Optional.ofNullable(
                Cookies.parse(headers.getOrDefault("cookie", List.of())).get(name));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The media type of the body without parameters, lower case, or empty. */
    public String mediaType() {
        String type = header("content-type").orElse("");
        int semi = type.indexOf(';');
        return (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    public boolean isGetOrHead() {
        return method.equals("GET") || method.equals("HEAD");
    }

    /**
     * The reader's address: the last {@code X-Forwarded-For} hop when the request comes from a loopback peer
     * (the local edge), otherwise the peer itself. Used only for rate limiting.
     */
    public String clientAddress() {
        boolean fromLocalProxy = remoteAddress.equals("127.0.0.1")
                || remoteAddress.equals("0:0:0:0:0:0:0:1")
                || remoteAddress.equals("::1");
        if (fromLocalProxy) {
            Optional<String> forwarded = header("x-forwarded-for");
            if (forwarded.isPresent()) {
                String[] hops = forwarded.get().split(",");
                String last = hops[hops.length - 1].trim();
                if (!last.isEmpty()) return last;
            }
        }
        return remoteAddress;
    }
}
