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
 *   <li>it is never collapsed with other requests (the cache fetches it on its own);
 *   <li>its response is stored only when it explicitly allows sharing: {@code public}, {@code s-maxage} or {@code
 *       must-revalidate} (RFC 9111 §3.5, {@link HttpCachePolicy#allowsAuthorized});
 *   <li>it is answered from the store only by a response that allows sharing (§3.5).
 * </ul>
 *
 * On a route with {@code forward-cookies: true} both also need {@code Vary: Cookie} on the response, to be stored
 * and to answer: stored so, a response is a variant that only a request with the very same {@code Cookie} selects
 * ({@link Variants}), never the page anonymous readers share. Origins often say {@code public} on pages they
 * personalise by session; {@code Vary: Cookie} is the only sign that they looked. The rule covers Authorization-only
 * requests on such a route as well (the policy sees "credentialed", not which credential, and a stored entry does not
 * record what the request it answered carried): they may miss more often than they must, never the other way.
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
     * Why a response to a request must not be stored on an http route, or empty when it may be: {@link
     * HttpCachePolicy#notStorableReason}, then the Cookie rule above.
     *
     * @param credentialed the request as forwarded carried {@code Authorization} or {@code Cookie}
     */
    public static Optional<String> notStorableReason(RouteConfig route, OriginResponse response, boolean credentialed) {
        Optional<String> reason = HttpCachePolicy.notStorableReason(route, response, credentialed);
        if (reason.isPresent()) return reason;
        if (credentialed && route.forwardCookies() && !variesOnCookie(response.headers("Vary"))) {
            return Optional.of("vary cookie missing");
        }
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
