package dev.edgecache.proxy.cache;

import dev.edgecache.common.config.RequestHeadersConfig;
import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.config.RouteMode;
import dev.edgecache.common.http.RequestFields;
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
 * Builds what the edge sends to the origin from what the reader sent. Stateless.
 *
 * <p><b>What each mode forwards</b> (issue 11). Every mode drops the hop-by-hop fields (RFC 9110 §7.6.1: the fixed
 * list of {@link RequestFields#HOP_BY_HOP} and any field named in {@code Connection}) and writes {@code Host},
 * framing, {@code Via}, {@code X-Forwarded-For} and {@code X-Forwarded-Proto} itself. Then:
 *
 * <ul>
 *   <li><b>persistent and ttl</b>: an anonymous, minimal GET: {@code Accept} and {@code User-Agent} only. A stored
 *       page is the same for every reader and these routes key on no request field, so no other field may reach the
 *       origin unless the route names it in {@code request-headers.forward} (never a credential, conditional, range,
 *       encoding or cache-poisoning field: {@link RouteConfig} refuses those).
 *   <li><b>http</b> (an RFC 9111 shared cache in front of any site): a GET with <em>every end-to-end field</em>, as
 *       nginx, Varnish or Squid send, so that {@code Origin}, {@code Referer}, {@code X-Requested-With} and an
 *       application's own fields reach it and the origin can {@code Vary} on any of them ({@link Variants}), except:
 *       {@code Cookie} (unless {@code forward-cookies: true}); the conditional and range fields ({@code If-*}, {@code
 *       Range}), which the edge answers from the store and sends itself when it revalidates; {@code Accept-Encoding}
 *       (stored bodies are identity, and the edge compresses them itself, {@link StoreCompression}); the
 *       representation fields of a request body ({@code Content-*}), since the GET carries none; {@code
 *       Max-Forwards}, which only means something to TRACE and OPTIONS (RFC 9110 §7.6.2); and the cache-poisoning
 *       fields of {@link RequestFields#POISONING} ({@code X-Forwarded-Host}, {@code X-Original-URL}, {@code
 *       X-HTTP-Method-Override}, ...), which frameworks read as the request's host, path, method or client without
 *       any cache keying on them. {@code Forwarded} and the other client-identity fields are relayed only from a
 *       trusted proxy (as {@code X-Forwarded-For} is extended only then); {@code X-Forwarded-Host} is dropped and,
 *       with {@code sites}, written from the (keyed) request host. {@code request-headers.forward} may re-admit a
 *       poisoning field on an http route (the origin must then {@code Vary} on it).
 *   <li><b>pass</b>: everything end-to-end, cookies and body included; the client-identity claims of {@link
 *       RequestFields#CLIENT_IDENTITY} only from a trusted proxy.
 * </ul>
 *
 * {@code request-headers.drop} removes fields from any of these defaults.
 *
 * <p><b>Credentials on http routes.</b> {@code Authorization} is forwarded; {@code Cookie} only with {@code
 * forward-cookies: true}. A request carrying either is never collapsed with anyone's and is stored and served under
 * the rules of {@link Credentials}: shared only when the response says so (RFC 9111 §3.5), and on a {@code
 * forward-cookies} route only when it also varies on {@code Cookie}.
 *
 * <p><b>Bounded values on cacheable renders</b> (issue 8.4). A render is shared by every reader collapsed onto it,
 * so one reader must not be able to make it fail (an origin's 400 or 431 for an oversized header) or differ by
 * sending a huge or oddly spaced value. {@code User-Agent} (cut to {@value #MAX_USER_AGENT} characters, first line
 * only), {@code Accept} ({@value #MAX_ACCEPT}) and {@code Accept-Language} ({@value #MAX_ACCEPT_LANGUAGE}) are
 * normalised (lines combined, blanks collapsed) and lists cut after their last whole element that fits, or dropped
 * when not even the first one fits (no {@code Accept} means anything, which is better than a broken media range).
 * Any other field whose value (its lines together) is longer than {@value #MAX_FIELD} characters is <em>dropped, not
 * cut</em>: the edge does not know its syntax, and a cut value could mean something else (a shortened URL in {@code
 * Referer}); an absent field is the one thing an origin must already handle. Fields are taken in the reader's order
 * while their names and values together fit {@value #MAX_TOTAL} bytes and their lines number at most {@value
 * #MAX_LINES}; a field past either bound is dropped, so a cacheable render carries at most 8 KiB of reader-chosen
 * fields, well under the 8 to 16 KiB that common origin servers accept. Credentials ({@code Authorization}, a
 * forwarded {@code Cookie}) are exempt: cutting one would only make it a wrong credential, and a request carrying
 * one is never collapsed, so only its sender can suffer from it. Values are Latin-1 (one byte per character), so the
 * bounds are bytes too. Pass routes forward values unbounded: the request is the reader's own.
 *
 * <p><b>Forwarding headers</b> (issue 8.5). What a reader says about earlier hops is believed only from a peer in
 * {@code trusted-proxies} ({@link ClientHop#trusted()}): then its {@code X-Forwarded-For} is extended with the
 * peer's address, its {@code X-Forwarded-Proto} ({@code http} or {@code https}) is kept, and its {@code Via} chain
 * is extended with {@code 1.1 edge}. From any other peer, {@code X-Forwarded-For} is the peer's address alone,
 * {@code X-Forwarded-Proto} is the scheme the peer reached the edge by ({@code https} on the TLS port, issue 13;
 * {@code http} otherwise, also when a trusted proxy sends none) and {@code Via} is {@code 1.1 edge} alone.
 */
public final class OriginRequests {
    static final String VIA = "1.1 edge";
    /** Longest {@code User-Agent} forwarded on cacheable renders (real browsers send 100 to 200 characters). */
    public static final int MAX_USER_AGENT = 256;
    /** Longest {@code Accept} forwarded on cacheable renders (browsers send under 150). */
    public static final int MAX_ACCEPT = 256;
    /** Longest {@code Accept-Language} forwarded on cacheable renders (browsers send under 100). */
    public static final int MAX_ACCEPT_LANGUAGE = 128;
    /** Longest value of any other field forwarded on cacheable renders; a longer one is dropped. */
    public static final int MAX_FIELD = 2048;
    /** Most bytes (names and values) of reader fields a cacheable render forwards, credentials aside. */
    public static final int MAX_TOTAL = 8192;
    /** Most reader field lines a cacheable render forwards, credentials aside. */
    public static final int MAX_LINES = 64;

    /** What persistent and ttl routes forward by default. */
    private static final Set<String> ANONYMOUS = Set.of("accept", "user-agent");
    /** Fields exempt from the bounds (see the class comment). */
    private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie");

    /** A set of lower-case field names, given by a rule rather than a list. */
    @FunctionalInterface
    interface FieldFilter {
        boolean contains(String lowerName);
    }

    /** Bounded fields: their longest forwarded value and whether they are lists (RFC 9110 §5.3). */
    private record Bound(int max, boolean list) {}

    private static final Map<String, Bound> BOUNDS = Map.of(
            "user-agent", new Bound(MAX_USER_AGENT, false),
            "accept", new Bound(MAX_ACCEPT, true),
            "accept-language", new Bound(MAX_ACCEPT_LANGUAGE, true));

    private static final Pattern BLANKS = Pattern.compile("[ \\t]+");

    private static final RouteConfig DEFAULT_PERSISTENT = RouteConfig.of("/**", RouteMode.PERSISTENT, null);
    private static final RouteConfig DEFAULT_HTTP = RouteConfig.of("/**", RouteMode.HTTP, null);
    private static final RouteConfig DEFAULT_PASS = RouteConfig.of("/**", RouteMode.PASS, null);

    private OriginRequests() {}

    /** The GET that renders a page of a cacheable {@code route}: {@link #forHttp} or {@link #forCacheable}. */
    public static OriginRequest forRoute(RouteConfig route, CacheKey key, List<Header> client, ClientHop hop) {
        return route.mode() == RouteMode.HTTP
                ? forHttp(route, key, client, hop)
                : forCacheable(route, key, client, hop);
    }

    /**
     * The anonymous GET that renders a page of a persistent or ttl route (also for a reader's HEAD, so the body can
     * be stored).
     */
    public static OriginRequest forCacheable(RouteConfig route, CacheKey key, List<Header> client, ClientHop hop) {
        RequestHeadersConfig rh = route.requestHeaders();
        List<Header> out = new ArrayList<>(6);
        copyBounded(
                out,
                client,
                name -> (ANONYMOUS.contains(name) || rh.forward().contains(name))
                        && !rh.drop().contains(name));
        addForwarding(out, client, hop);
        // the site is part of the key (issue 5), so the origin may render per site without poisoning anything
        if (!key.host().isEmpty()) out.add(new Header("X-Forwarded-Host", key.host()));
        return new OriginRequest("GET", key.target(), out, new byte[0]);
    }

    /** {@link #forCacheable(RouteConfig, CacheKey, List, ClientHop)} on a persistent route with defaults. */
    public static OriginRequest forCacheable(CacheKey key, List<Header> client, ClientHop hop) {
        return forCacheable(DEFAULT_PERSISTENT, key, client, hop);
    }

    /** {@link #forCacheable(CacheKey, List, ClientHop)} from an untrusted peer (deploy renders, tests). */
    public static OriginRequest forCacheable(CacheKey key, List<Header> client, String clientAddress) {
        return forCacheable(key, client, ClientHop.untrusted(clientAddress));
    }

    /** The GET that fetches a page of an http route (the class comment says what is forwarded and why). */
    public static OriginRequest forHttp(RouteConfig route, CacheKey key, List<Header> client, ClientHop hop) {
        RequestHeadersConfig rh = route.requestHeaders();
        Set<String> connection = HopByHop.namesIn(client);
        boolean cookies = route.forwardCookies();
        List<Header> out = new ArrayList<>(client.size() + 4);
        boolean site = !key.host().isEmpty();
        copyBounded(out, client, name -> {
            if (connection.contains(name) || rh.drop().contains(name)) return false;
            if (site && name.equals("x-forwarded-host")) return false; // written below from the keyed host
            if (rh.forward().contains(name)) return true;
            if (name.equals("cookie")) return cookies;
            if (RequestFields.POISONING.contains(name)) {
                return hop.trusted() && RequestFields.CLIENT_IDENTITY.contains(name) && !name.startsWith("x-forwarded");
            }
            return forwardableOnHttp(name);
        });
        addForwarding(out, client, hop);
        if (site) out.add(new Header("X-Forwarded-Host", key.host()));
        return new OriginRequest("GET", key.target(), out, new byte[0]);
    }

    /** {@link #forHttp(RouteConfig, CacheKey, List, ClientHop)} on an http route with defaults. */
    public static OriginRequest forHttp(CacheKey key, List<Header> client, ClientHop hop) {
        return forHttp(DEFAULT_HTTP, key, client, hop);
    }

    /** {@link #forHttp(CacheKey, List, ClientHop)} from an untrusted peer. */
    public static OriginRequest forHttp(CacheKey key, List<Header> client, String clientAddress) {
        return forHttp(key, client, ClientHop.untrusted(clientAddress));
    }

    /** The request forwarded as is (minus hop-by-hop and the route's {@code request-headers.drop}). */
    public static OriginRequest forPass(
            RouteConfig route, String method, CacheKey key, List<Header> client, byte[] body, ClientHop hop) {
        Set<String> drop = HopByHop.namesIn(client);
        List<String> dropped = route.requestHeaders().drop();
        List<Header> out = new ArrayList<>(client.size() + 3);
        for (Header h : client) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (drop.contains(name) || RequestFields.REBUILT.contains(name) || dropped.contains(name)) continue;
            if (!hop.trusted() && RequestFields.CLIENT_IDENTITY.contains(name)) continue;
            out.add(h);
        }
        addForwarding(out, client, hop);
        return new OriginRequest(method, key.target(), out, body);
    }

    /** {@link #forPass(RouteConfig, String, CacheKey, List, byte[], ClientHop)} on a pass route with defaults. */
    public static OriginRequest forPass(String method, CacheKey key, List<Header> client, byte[] body, ClientHop hop) {
        return forPass(DEFAULT_PASS, method, key, client, body, hop);
    }

    /** {@link #forPass(String, CacheKey, List, byte[], ClientHop)} from an untrusted peer. */
    public static OriginRequest forPass(
            String method, CacheKey key, List<Header> client, byte[] body, String clientAddress) {
        return forPass(method, key, client, body, ClientHop.untrusted(clientAddress));
    }

    /**
     * Whether an http route may forward the field at all, by its kind: not hop-by-hop, not written by the edge, not a
     * conditional, range or encoding field the edge answers itself, not a request body's metadata. Cookie and the
     * poisoning fields pass here: whether they are forwarded depends on the route and the peer.
     */
    private static boolean forwardableOnHttp(String name) {
        return !RequestFields.HOP_BY_HOP.contains(name)
                && !RequestFields.REBUILT.contains(name)
                && !RequestFields.isConditionalOrRange(name)
                && !name.equals("accept-encoding")
                && !name.equals("max-forwards")
                && !name.startsWith("content-");
    }

    /**
     * Copies the fields {@code wanted} admits, in the reader's order, within the bounds of the class comment: bounded
     * fields normalised and cut, once each; Cookie lines combined; any other field's lines kept as they came, or
     * dropped together when their values exceed {@link #MAX_FIELD}.
     */
    private static void copyBounded(List<Header> out, List<Header> client, FieldFilter wanted) {
        List<String> done = new ArrayList<>(4);
        int total = 0;
        int lines = 0;
        for (Header h : client) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (done.contains(name) || !wanted.contains(name)) continue;
            Bound bound = BOUNDS.get(name);
            if (CREDENTIALS.contains(name)) { // unbounded, never collapsed; one Cookie line (RFC 6265 §5.4)
                done.add(name);
                if (name.equals("cookie")) out.add(new Header(h.name(), joined(client, name, "; ")));
                else for (Header line : linesOf(client, name)) out.add(line);
                continue;
            }
            done.add(name);
            List<Header> add = new ArrayList<>(1);
            if (bound != null) {
                String value = bounded(combined(client, name, bound.list()), bound);
                if (value != null) add.add(new Header(h.name(), value));
            } else {
                List<Header> all = linesOf(client, name);
                int length = 0;
                for (Header line : all) length += line.value().length();
                if (length <= MAX_FIELD) add.addAll(all);
            }
            int bytes = 0;
            for (Header line : add) bytes += line.name().length() + line.value().length();
            if (total + bytes > MAX_TOTAL || lines + add.size() > MAX_LINES) continue; // past the bound: dropped
            total += bytes;
            lines += add.size();
            out.addAll(add);
        }
    }

    private static List<Header> linesOf(List<Header> client, String name) {
        List<Header> lines = new ArrayList<>(1);
        for (Header h : client) {
            if (h.name().equalsIgnoreCase(name)) lines.add(h);
        }
        return lines;
    }

    private static String joined(List<Header> client, String name, String separator) {
        StringBuilder sb = new StringBuilder();
        for (Header h : client) {
            if (!h.name().equalsIgnoreCase(name)) continue;
            if (!sb.isEmpty()) sb.append(separator);
            sb.append(h.value().strip());
        }
        return sb.toString();
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
            out.add(new Header("X-Forwarded-Proto", hop.scheme()));
            return;
        }
        String via = null;
        String forwardedFor = null;
        String proto = hop.scheme();
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
