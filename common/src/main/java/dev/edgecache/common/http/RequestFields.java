package dev.edgecache.common.http;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Classes of request header fields that decide what the edge forwards to the origin (issue 11), shared by the config
 * validation of {@code request-headers} and the proxy's request builder, so that the two cannot disagree. Names are
 * lower case. Stateless.
 */
public final class RequestFields {
    /**
     * Hop-by-hop fields (RFC 9110 §7.6.1), plus {@code Proxy-Connection} (pre-standard clients) and the proxy
     * authentication pair (RFC 9110 §11.7), which belong to one hop. Fields named in {@code Connection} are
     * hop-by-hop as well; that part is per message.
     */
    public static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "proxy-authorization",
            "proxy-authenticate");

    /** Fields the edge writes itself on every forwarded request: framing, the target host and the forwarding chain. */
    public static final Set<String> REBUILT =
            Set.of("host", "content-length", "via", "x-forwarded-for", "x-forwarded-proto", "expect");

    /** The {@link #POISONING} fields that name the client or what an earlier hop saw; a trusted proxy may send them on pass routes. */
    public static final Set<String> CLIENT_IDENTITY = Set.of(
            "forwarded",
            "x-real-ip",
            "x-client-ip",
            "client-ip",
            "true-client-ip",
            "x-originating-ip",
            "x-remote-ip",
            "x-remote-addr",
            "x-cluster-client-ip",
            "cf-connecting-ip",
            "fastly-client-ip",
            "x-forwarded-host",
            "x-forwarded-port");

    /**
     * Cache-poisoning fields: request fields that frameworks, servers and platforms are known to read as the request's
     * host, scheme, path, method or client, none of which is part of a cache key. A reader sending one could make the
     * origin render a page for another host, path or method (an open redirect, a script from an attacker's host, a
     * DELETE) that would then be stored under an innocent key for everyone. Sources: PortSwigger's "Practical Web Cache
     * Poisoning" and "Web Cache Entanglement" research and the header list of their Param Miner extension; the
     * Next.js advisories CVE-2024-46982 ({@code x-now-route-matches}) and CVE-2025-29927 ({@code
     * x-middleware-subrequest}); the override headers of Symfony, Laravel, Rails (Rack), Express and IIS URL Rewrite.
     * Never forwarded on cacheable routes; the client-identity ones are also withheld on pass routes unless the peer is
     * a trusted proxy. With {@code sites}, {@code X-Forwarded-Host} is overwritten with the request's (keyed) host.
     */
    public static final Set<String> POISONING = union(
            CLIENT_IDENTITY,
            Set.of(
                    // host
                    "x-forwarded-server",
                    "x-host",
                    "x-original-host",
                    "x-backend-host",
                    "x-http-host-override",
                    // scheme and port
                    "x-forwarded-scheme",
                    "x-forwarded-ssl",
                    "x-forwarded-protocol",
                    "x-url-scheme",
                    "x-scheme",
                    "front-end-https",
                    // path
                    "x-original-url",
                    "x-rewrite-url",
                    "x-original-uri",
                    "x-forwarded-uri",
                    "x-forwarded-path",
                    "x-forwarded-prefix",
                    "x-envoy-original-path",
                    "x-now-route-matches",
                    "x-middleware-subrequest",
                    "x-middleware-prefetch",
                    "x-invoke-path",
                    "x-invoke-query",
                    "x-invoke-output",
                    // method
                    "x-http-method-override",
                    "x-http-method",
                    "x-method-override",
                    // fetched by the origin (device profile URL: request forgery)
                    "x-wap-profile"));

    private RequestFields() {}

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** The lower-case form of a field name. */
    public static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * Conditional and range fields (RFC 9110 §13, §14): {@code If-*} (including WebDAV's {@code If}), {@code Range}.
     * On cacheable routes the edge answers them from the store and makes its own conditional requests.
     */
    public static boolean isConditionalOrRange(String lowerName) {
        return lowerName.startsWith("if-") || lowerName.equals("if") || lowerName.equals("range");
    }

    /** A field name as RFC 9110 §5.1 allows it: a token. */
    public static boolean isToken(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }
}
