package dev.edgecache.proxy.cache;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.proxy.origin.OriginResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * RFC 9111 §4.4: which stored targets a request with an unsafe method invalidates once the origin accepted it (a 2xx
 * or 3xx answer). "Unsafe" means <em>any method not known to be safe</em> (§4.4 speaks of unsafe methods, and RFC
 * 9110 §9.2.1 lets a cache know only the safe ones it was told of): besides POST, PUT, DELETE and PATCH, that is
 * WebDAV's MKCOL, COPY, MOVE, LOCK, PROPPATCH... and any extension method the edge has never heard of. Only the
 * methods {@link #SAFE} lists leave the cache alone. Method names are case-sensitive (RFC 9110 §9.1), so {@code get}
 * is not GET and invalidates. Only the target URI and the {@code Location} / {@code Content-Location} URIs on the
 * same host are invalidated, as normalised targets (path form); a URI on another host is left alone, so one site
 * cannot purge another's pages. Stateless.
 */
public final class Invalidation {
    /**
     * Safe methods (RFC 9110 §9.2.1: GET, HEAD, OPTIONS, TRACE) and the WebDAV and search methods their
     * specifications define as safe (PROPFIND, RFC 4918 §9.1; REPORT, RFC 3253 §3.6; SEARCH, RFC 5323 §2; QUERY,
     * draft-ietf-httpbis-safe-method-w-body).
     */
    static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "REPORT", "SEARCH", "QUERY");

    private Invalidation() {}

    /** Whether {@code method} is not known to be safe, and so invalidates on success (RFC 9111 §4.4). */
    public static boolean isUnsafe(String method) {
        return !SAFE.contains(method);
    }

    /**
     * @param host the request's {@code Host}, against which absolute {@code Location}s are compared
     * @return normalised targets to purge, empty for a safe method or a response that is not 2xx or 3xx
     */
    public static List<String> targets(String method, CacheKey target, @Nullable String host, OriginResponse response) {
        if (!isUnsafe(method) || response.status() < 200 || response.status() >= 400) return List.of();
        List<String> out = new ArrayList<>(3);
        out.add(target.target());
        for (String field : List.of("Location", "Content-Location")) {
            String value = response.header(field);
            String t = value == null ? null : sameHostTarget(target, host, value.trim());
            if (t != null && !out.contains(t)) out.add(t);
        }
        return out;
    }

    private static @Nullable String sameHostTarget(CacheKey base, @Nullable String host, String reference) {
        try {
            URI ref = new URI(reference);
            if (ref.isAbsolute()) {
                String scheme = ref.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https")) return null;
                if (host == null || ref.getRawAuthority() == null || !sameAuthority(ref, host)) return null;
            } else if (ref.getRawAuthority() != null) {
                return null; // network-path reference (//other/x): another host
            }
            URI resolved = new URI("http://edge" + base.target()).resolve(ref);
            String path =
                    resolved.getRawPath() == null || resolved.getRawPath().isEmpty() ? "/" : resolved.getRawPath();
            String query = resolved.getRawQuery();
            return CacheKey.fromRequestTarget(query == null ? path : path + "?" + query)
                    .target();
        } catch (URISyntaxException | IllegalArgumentException e) { // BadRequestTargetException included
            return null; // an unusable reference invalidates nothing
        }
    }

    private static boolean sameAuthority(URI ref, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        String refHost = ref.getHost() == null ? "" : ref.getHost().toLowerCase(Locale.ROOT);
        int refPort = ref.getPort();
        int colon = h.lastIndexOf(':');
        String hostName = colon > 0 && !h.endsWith("]") ? h.substring(0, colon) : h;
        int hostPort = colon > 0 && !h.endsWith("]") ? parsePort(h.substring(colon + 1)) : -1;
        int defaultPort = ref.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        return refHost.equals(hostName)
                && (refPort < 0 ? defaultPort : refPort) == (hostPort < 0 ? defaultPort : hostPort);
    }

    private static int parsePort(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -2;
        }
    }
}
