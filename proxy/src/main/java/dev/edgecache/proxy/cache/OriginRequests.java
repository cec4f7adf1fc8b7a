package dev.edgecache.proxy.cache;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.store.Header;
import dev.edgecache.proxy.origin.OriginRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Builds what the edge sends to the origin from what the reader sent.
 *
 * <p>For cacheable routes the request is anonymous and minimal: a GET of the normalised target with only
 * {@code Accept} and {@code User-Agent} from the reader. No {@code Cookie}, {@code Authorization}, conditional,
 * range or encoding header, and no header a reader could use to make the origin render a variant nobody keys
 * on ({@code X-Forwarded-Host}, {@code X-Original-URL}...): a stored page is the same for every reader, so an
 * unkeyed header cannot poison it. For pass routes everything end-to-end is forwarded, cookies and body
 * included. Both get {@code Via}, {@code X-Forwarded-For} and {@code X-Forwarded-Proto}; hop-by-hop fields are
 * dropped. Stateless.
 */
public final class OriginRequests {
    static final String VIA = "1.1 edge";
    private static final Set<String> CACHEABLE_ALLOWED = Set.of("accept", "user-agent");
    /**
     * What an http route forwards (issue 5): the persistent set plus {@code Accept-Language}, which origins commonly
     * vary on, and {@code Authorization}, forwarded so that the origin can decide (RFC 9111 §3.5; such requests are
     * never collapsed with anonymous ones). {@code Cookie} stays behind, as on every cacheable route: a shared cache
     * cannot key on it without one variant per reader, and origins often personalise on cookies without saying
     * {@code Vary: Cookie} or {@code private}, so forwarding it would risk storing one reader's page for everyone.
     * Routes that need cookies are pass routes. {@code Accept-Encoding} stays behind too: stored bodies are identity.
     */
    static final Set<String> HTTP_FORWARDED = Set.of("accept", "accept-language", "user-agent", "authorization");

    private static final Set<String> REBUILT =
            Set.of("host", "content-length", "via", "x-forwarded-for", "x-forwarded-proto", "expect");

    private OriginRequests() {}

    /** The anonymous GET that renders a cacheable page (also for a reader's HEAD, so the body can be stored). */
    public static OriginRequest forCacheable(CacheKey key, List<Header> client, String clientAddress) {
        List<Header> out = new ArrayList<>(6);
        for (Header h : client) {
            if (CACHEABLE_ALLOWED.contains(h.name().toLowerCase(Locale.ROOT))) out.add(h);
        }
        addForwarding(out, client, clientAddress);
        // the site is part of the key (issue 5), so the origin may render per site without poisoning anything
        if (!key.host().isEmpty()) out.add(new Header("X-Forwarded-Host", key.host()));
        return new OriginRequest("GET", key.target(), out, new byte[0]);
    }

    /** The GET that fetches a page of an http route ({@link #HTTP_FORWARDED} says what is forwarded and why). */
    public static OriginRequest forHttp(CacheKey key, List<Header> client, String clientAddress) {
        List<Header> out = new ArrayList<>(8);
        for (Header h : client) {
            if (HTTP_FORWARDED.contains(h.name().toLowerCase(Locale.ROOT))) out.add(h);
        }
        addForwarding(out, client, clientAddress);
        return new OriginRequest("GET", key.target(), out, new byte[0]);
    }

    /** The request forwarded as is (minus hop-by-hop) for a pass route. */
    public static OriginRequest forPass(
            String method, CacheKey key, List<Header> client, byte[] body, String clientAddress) {
        Set<String> drop = HopByHop.namesIn(client);
        List<Header> out = new ArrayList<>(client.size() + 3);
        for (Header h : client) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (!drop.contains(name) && !REBUILT.contains(name)) out.add(h);
        }
        addForwarding(out, client, clientAddress);
        return new OriginRequest(method, key.target(), out, body);
    }

    private static void addForwarding(List<Header> out, List<Header> client, String clientAddress) {
        String via = null;
        String forwardedFor = null;
        for (Header h : client) {
            if (h.name().equalsIgnoreCase("via")) via = via == null ? h.value() : via + ", " + h.value();
            if (h.name().equalsIgnoreCase("x-forwarded-for")) {
                forwardedFor = forwardedFor == null ? h.value() : forwardedFor + ", " + h.value();
            }
        }
        out.add(new Header("Via", via == null ? VIA : via + ", " + VIA));
        out.add(new Header(
                "X-Forwarded-For", forwardedFor == null ? clientAddress : forwardedFor + ", " + clientAddress));
        out.add(new Header("X-Forwarded-Proto", "http"));
    }
}
