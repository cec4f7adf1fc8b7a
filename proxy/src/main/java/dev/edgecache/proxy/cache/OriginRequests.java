package dev.edgecache.proxy.cache;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.store.Header;
import dev.edgecache.proxy.origin.OriginRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

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
 *
 * <p><b>Bounded values on cacheable renders</b> (issue 8.4). A render is shared by every reader collapsed onto it,
 * so one reader must not be able to make it fail (an origin's 400 or 431 for an oversized header) or differ by
 * sending a huge or oddly spaced value. The reader's fields are normalised before they are forwarded: lines of a
 * field are combined (list fields joined with {@code ", "}; {@code User-Agent}, not a list, keeps its first line),
 * runs of spaces and tabs become one space, leading and trailing space is dropped, and the value is cut to a
 * bound: {@code User-Agent} {@value #MAX_USER_AGENT} characters, {@code Accept} {@value #MAX_ACCEPT}, {@code
 * Accept-Language} {@value #MAX_ACCEPT_LANGUAGE} (http routes). A list is cut after its last whole element that
 * fits, and dropped when not even its first element fits (no {@code Accept} means anything, which is better than a
 * broken media range). {@code Authorization} on http routes is forwarded unchanged: cutting it would only turn it
 * into a wrong credential. Values are Latin-1 (one byte per character), so the bounds are bytes too, and a
 * cacheable render carries at most about 1 KiB of reader-chosen header bytes.
 *
 * <p><b>Forwarding headers</b> (issue 8.5). What a reader says about earlier hops is believed only from a peer in
 * {@code trusted-proxies} ({@link ClientHop#trusted()}): then its {@code X-Forwarded-For} is extended with the
 * peer's address, its {@code X-Forwarded-Proto} ({@code http} or {@code https}) is kept, and its {@code Via} chain
 * is extended with {@code 1.1 edge}. From any other peer, {@code X-Forwarded-For} is the peer's address alone,
 * {@code X-Forwarded-Proto} is {@code http}, {@code Via} is {@code 1.1 edge} alone, and on pass routes the other
 * client-identity fields an origin might believe ({@code Forwarded}, {@code X-Real-IP}, {@code X-Forwarded-Host},
 * {@code X-Forwarded-Port}, {@code X-Client-IP}) are dropped rather than relayed.
 */
public final class OriginRequests {
    static final String VIA = "1.1 edge";
    /** Longest {@code User-Agent} forwarded on cacheable renders (real browsers send 100 to 200 characters). */
    public static final int MAX_USER_AGENT = 256;
    /** Longest {@code Accept} forwarded on cacheable renders (browsers send under 150). */
    public static final int MAX_ACCEPT = 256;
    /** Longest {@code Accept-Language} forwarded on http routes (browsers send under 100). */
    public static final int MAX_ACCEPT_LANGUAGE = 128;

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

    /** Bounded fields: their longest forwarded value and whether they are lists (RFC 9110 §5.3). */
    private record Bound(int max, boolean list) {}

    private static final Map<String, Bound> BOUNDS = Map.of(
            "user-agent", new Bound(MAX_USER_AGENT, false),
            "accept", new Bound(MAX_ACCEPT, true),
            "accept-language", new Bound(MAX_ACCEPT_LANGUAGE, true));

    private static final Pattern BLANKS = Pattern.compile("[ \\t]+");

    private static final Set<String> REBUILT =
            Set.of("host", "content-length", "via", "x-forwarded-for", "x-forwarded-proto", "expect");
    /** Claims about the client that only a trusted proxy may make; from anyone else they are not relayed. */
    private static final Set<String> CLIENT_IDENTITY =
            Set.of("forwarded", "x-real-ip", "x-forwarded-host", "x-forwarded-port", "x-client-ip");

    private OriginRequests() {}

    /** The anonymous GET that renders a cacheable page (also for a reader's HEAD, so the body can be stored). */
    public static OriginRequest forCacheable(CacheKey key, List<Header> client, ClientHop hop) {
        List<Header> out = new ArrayList<>(6);
        copyBounded(out, client, CACHEABLE_ALLOWED);
        addForwarding(out, client, hop);
        // the site is part of the key (issue 5), so the origin may render per site without poisoning anything
        if (!key.host().isEmpty()) out.add(new Header("X-Forwarded-Host", key.host()));
        return new OriginRequest("GET", key.target(), out, new byte[0]);
    }

    /** {@link #forCacheable(CacheKey, List, ClientHop)} from an untrusted peer (deploy renders, tests). */
    public static OriginRequest forCacheable(CacheKey key, List<Header> client, String clientAddress) {
        return forCacheable(key, client, ClientHop.untrusted(clientAddress));
    }

    /** The GET that fetches a page of an http route ({@link #HTTP_FORWARDED} says what is forwarded and why). */
    public static OriginRequest forHttp(CacheKey key, List<Header> client, ClientHop hop) {
        List<Header> out = new ArrayList<>(8);
        copyBounded(out, client, HTTP_FORWARDED);
        addForwarding(out, client, hop);
        return new OriginRequest("GET", key.target(), out, new byte[0]);
    }

    /** {@link #forHttp(CacheKey, List, ClientHop)} from an untrusted peer. */
    public static OriginRequest forHttp(CacheKey key, List<Header> client, String clientAddress) {
        return forHttp(key, client, ClientHop.untrusted(clientAddress));
    }

    /** The request forwarded as is (minus hop-by-hop) for a pass route. */
    public static OriginRequest forPass(String method, CacheKey key, List<Header> client, byte[] body, ClientHop hop) {
        Set<String> drop = HopByHop.namesIn(client);
        List<Header> out = new ArrayList<>(client.size() + 3);
        for (Header h : client) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (drop.contains(name) || REBUILT.contains(name)) continue;
            if (!hop.trusted() && CLIENT_IDENTITY.contains(name)) continue;
            out.add(h);
        }
        addForwarding(out, client, hop);
        return new OriginRequest(method, key.target(), out, body);
    }

    /** {@link #forPass(String, CacheKey, List, byte[], ClientHop)} from an untrusted peer. */
    public static OriginRequest forPass(
            String method, CacheKey key, List<Header> client, byte[] body, String clientAddress) {
        return forPass(method, key, client, body, ClientHop.untrusted(clientAddress));
    }

    /** Copies the {@code allowed} fields in the reader's order, bounded ones once each, normalised and cut. */
    private static void copyBounded(List<Header> out, List<Header> client, Set<String> allowed) {
        List<String> done = new ArrayList<>(2);
        for (Header h : client) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (!allowed.contains(name)) continue;
            Bound bound = BOUNDS.get(name);
            if (bound == null) {
                out.add(h);
            } else if (!done.contains(name)) {
                done.add(name);
                String value = bounded(combined(client, name, bound.list()), bound);
                if (value != null) out.add(new Header(h.name(), value));
            }
        }
    }

    private static String combined(List<Header> client, String name, boolean list) {
        StringBuilder sb = new StringBuilder();
        for (Header h : client) {
            if (!h.name().equalsIgnoreCase(name)) continue;
            if (!sb.isEmpty()) {
                if (!list) break; // a second User-Agent line is malformed: the first one stands
                sb.append(", ");
            }
            sb.append(h.value());
        }
        return sb.toString();
    }

    /** {@code value} with blanks collapsed and cut to {@code bound}; null when nothing sensible is left. */
    private static @Nullable String bounded(String value, Bound bound) {
        String v = BLANKS.matcher(value).replaceAll(" ").strip();
        if (v.length() > bound.max()) {
            if (bound.list()) {
                int cut = v.lastIndexOf(',', bound.max());
                v = cut < 0 ? "" : v.substring(0, cut).strip();
            } else {
                v = v.substring(0, bound.max()).strip();
            }
        }
        return v.isEmpty() ? null : v;
    }

    private static void addForwarding(List<Header> out, List<Header> client, ClientHop hop) {
        if (!hop.trusted()) {
            out.add(new Header("Via", VIA));
            out.add(new Header("X-Forwarded-For", hop.address()));
            out.add(new Header("X-Forwarded-Proto", "http"));
            return;
        }
        String via = null;
        String forwardedFor = null;
        String proto = "http";
        for (Header h : client) {
            if (h.name().equalsIgnoreCase("via")) via = via == null ? h.value() : via + ", " + h.value();
            if (h.name().equalsIgnoreCase("x-forwarded-for")) {
                forwardedFor = forwardedFor == null ? h.value() : forwardedFor + ", " + h.value();
            }
            if (h.name().equalsIgnoreCase("x-forwarded-proto")) {
                String p = h.value().strip().toLowerCase(Locale.ROOT);
                if (p.equals("http") || p.equals("https")) proto = p;
            }
        }
        out.add(new Header("Via", via == null ? VIA : via + ", " + VIA));
        out.add(new Header(
                "X-Forwarded-For", forwardedFor == null ? hop.address() : forwardedFor + ", " + hop.address()));
        out.add(new Header("X-Forwarded-Proto", proto));
    }
}
