package dev.edgecache.proxy.cache;

import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.store.Header;
import dev.edgecache.proxy.origin.OriginResponse;
import java.util.List;
import java.util.Optional;

/**
 * Requests with credentials on http routes (issue 11): {@code Authorization}, always forwarded there, and {@code
 * Cookie}, forwarded only on a route with {@code forward-cookies: true}. Such a request must never get or make a
 * response shared with people it was not meant for. The rules, decided from the request <em>as forwarded</em>
 * (a Cookie the route does not forward cannot have shaped the answer):
 *
 * <ul>
 *   <li>it is never collapsed with other requests (the caller fetches it on its own);
 *   <li>its response is stored only when it explicitly allows sharing: {@code public}, {@code s-maxage} or {@code
 *       must-revalidate} (RFC 9111 §3.5, {@link HttpCachePolicy#allowsAuthorized}); for {@code Cookie} it must also
 *       name {@code Cookie} in {@code Vary}, so that it is stored as a variant only a request with the very same
 *       {@code Cookie} selects ({@link Variants}), never under the key anonymous readers share. Origins often say
 *       {@code public} for pages they personalise by session; {@code Vary: Cookie} is the only sign that they
 *       looked;
 *   <li>it is answered from the store only by a response that allows sharing (§3.5) and, on a route that forwards
 *       cookies, also varies on {@code Cookie}. The stored entry does not record whether the request it serves
 *       carried a Cookie or only an Authorization, so on such a route both kinds of credentialed request need both;
 *       an Authorization-only request there may therefore miss more often than it must, never the other way.
 * </ul>
 *
 * Stateless.
 */
public final class Credentials {
    private Credentials() {}

    /** Whether the forwarded request carries credentials: {@code Authorization}, or a forwarded {@code Cookie}. */
    public static boolean sent(List<Header> forwarded) {
        return has(forwarded, "Authorization") || has(forwarded, "Cookie");
    }

    /**
     * Why a response to the forwarded request must not be stored on an http route, or empty when it may be: {@link
     * HttpCachePolicy#notStorableReason}, then the Cookie rule above.
     */
    public static Optional<String> notStorableReason(
            RouteConfig route, OriginResponse response, List<Header> forwarded) {
        Optional<String> reason = HttpCachePolicy.notStorableReason(route, response, sent(forwarded));
        if (reason.isPresent()) return reason;
        if (has(forwarded, "Cookie") && !variesOnCookie(response.headers("Vary"))) return Optional.of("cookie");
        return Optional.empty();
    }

    /** Whether a stored response may answer a request with credentials on {@code route}. */
    public static boolean mayAnswer(RouteConfig route, List<Header> stored) {
        if (!HttpCachePolicy.allowsAuthorized(stored)) return false;
        if (!route.forwardCookies()) return true;
        List<String> vary = stored.stream()
                .filter(h -> h.name().equalsIgnoreCase("Vary"))
                .map(Header::value)
                .toList();
        return variesOnCookie(vary);
    }

    static boolean variesOnCookie(List<String> vary) {
        for (String v : vary) {
            for (String f : v.split(",")) {
                if (f.strip().equalsIgnoreCase("cookie")) return true;
            }
        }
        return false;
    }

    private static boolean has(List<Header> headers, String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) return true;
        }
        return false;
    }
}
