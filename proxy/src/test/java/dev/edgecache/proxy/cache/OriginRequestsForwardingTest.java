package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.config.RequestHeadersConfig;
import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.config.RouteMode;
import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.key.KeyRules;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.testing.TestRoutes;
import dev.edgecache.proxy.origin.OriginRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 11: what each route mode forwards to the origin, field by field, and the bounds on it. */
class OriginRequestsForwardingTest {
    private static final CacheKey KEY = CacheKey.fromRequestTarget("/a");
    private static final ClientHop PEER = ClientHop.untrusted("203.0.113.7");
    private static final ClientHop PROXY = new ClientHop("10.0.0.2", true);

    private static RouteConfig route(
            RouteMode mode, @Nullable RequestHeadersConfig headers, @Nullable Boolean forwardCookies) {
        return TestRoutes.route("/**", mode)
                .ttl(mode == RouteMode.TTL ? Duration.ofSeconds(5) : null)
                .requestHeaders(headers)
                .forwardCookies(forwardCookies)
                .build();
    }

    private static final RouteConfig HTTP = route(RouteMode.HTTP, null, null);
    private static final RouteConfig HTTP_COOKIES = route(RouteMode.HTTP, null, true);
    private static final RouteConfig PERSISTENT = route(RouteMode.PERSISTENT, null, null);

    private static @Nullable String forwarded(OriginRequest r, String name) {
        List<String> v = values(r, name);
        return v.isEmpty() ? null : String.join(" | ", v);
    }

    private static List<String> values(OriginRequest r, String name) {
        return r.headers().stream()
                .filter(h -> h.name().equalsIgnoreCase(name))
                .map(Header::value)
                .toList();
    }

    /**
     * One reader field at a time through each mode's default: forwarded (its value arrives unchanged) or not. The
     * RFC section or source that decides is in the last column.
     */
    @ParameterizedTest(name = "{0}: {1} → persistent {2}, http {3}, http+cookies {4}, pass {5} ({6})")
    @CsvSource(
            delimiter = '|',
            value = {
                // end-to-end fields an origin renders on (RFC 9110 §7.6: proxies forward them)
                "Origin           | https://a.example       | no  | yes | yes | yes | RFC 9110 §7.6, CORS",
                "Referer          | https://a.example/p     | no  | yes | yes | yes | RFC 9110 §10.1.3",
                "X-Requested-With | XMLHttpRequest          | no  | yes | yes | yes | RFC 9110 §7.6",
                "X-Tenant         | acme                    | no  | yes | yes | yes | RFC 9110 §7.6",
                "Accept-Language  | en-GB                   | no  | yes | yes | yes | RFC 9110 §12.5.4",
                "Accept           | text/html               | yes | yes | yes | yes | RFC 9110 §12.5.1",
                "User-Agent       | curl/8                  | yes | yes | yes | yes | RFC 9110 §10.1.5",
                "Cache-Control    | no-cache                | no  | yes | yes | yes | RFC 9111 §5.2: proxies pass directives",
                "Sec-Fetch-Mode   | cors                    | no  | yes | yes | yes | RFC 9110 §7.6",
                // credentials (RFC 9111 §3.5; Cookie only where the route says so)
                "Authorization    | Bearer t                | no  | yes | yes | yes | RFC 9111 §3.5",
                "Cookie           | sid=1                   | no  | no  | yes | yes | issue 11: forward-cookies",
                // hop-by-hop (RFC 9110 §7.6.1)
                "Connection       | close                   | no  | no  | no  | no  | RFC 9110 §7.6.1",
                "Keep-Alive       | timeout=5               | no  | no  | no  | no  | RFC 9110 §7.6.1",
                "TE               | trailers                | no  | no  | no  | no  | RFC 9110 §10.1.4",
                "Upgrade          | websocket               | no  | no  | no  | no  | RFC 9110 §7.8",
                "Proxy-Authorization | Basic eA==           | no  | no  | no  | no  | RFC 9110 §11.7.2",
                "Proxy-Connection | keep-alive              | no  | no  | no  | no  | RFC 9112 §9.6",
                // the edge answers these from the store and revalidates itself (RFC 9110 §13, §14; RFC 9111 §4.3)
                "If-None-Match    | \"x\"                   | no  | no  | no  | yes | RFC 9110 §13.1.2",
                "If-Modified-Since | Sat, 01 Jan 2000 00:00:00 GMT | no | no | no | yes | RFC 9110 §13.1.3",
                "If-Match         | \"x\"                   | no  | no  | no  | yes | RFC 9110 §13.1.1",
                "If-Range         | \"x\"                   | no  | no  | no  | yes | RFC 9110 §13.1.5",
                "Range            | bytes=0-1               | no  | no  | no  | yes | RFC 9110 §14.2",
                "Accept-Encoding  | gzip                    | no  | no  | no  | yes | RFC 9110 §12.5.3: stored bodies are identity",
                "Max-Forwards     | 3                       | no  | no  | no  | yes | RFC 9110 §7.6.2: TRACE and OPTIONS only",
                "Content-Type     | text/plain              | no  | no  | no  | yes | the GET carries no body",
                // cache poisoning: read as the request's host, scheme, path or method, keyed by nobody
                "X-Forwarded-Host | evil.example            | no  | no  | no  | no  | poisoning (client identity on pass)",
                "X-Forwarded-Scheme | nothttps              | no  | no  | no  | yes | poisoning",
                "X-Forwarded-Server | evil.example          | no  | no  | no  | yes | poisoning",
                "X-Original-URL   | /admin                  | no  | no  | no  | yes | poisoning",
                "X-Rewrite-URL    | /admin                  | no  | no  | no  | yes | poisoning",
                "X-HTTP-Method-Override | DELETE            | no  | no  | no  | yes | poisoning",
                "X-HTTP-Method    | DELETE                  | no  | no  | no  | yes | poisoning",
                "X-Method-Override | DELETE                 | no  | no  | no  | yes | poisoning",
                "X-Host           | evil.example            | no  | no  | no  | yes | poisoning",
                "X-Middleware-Subrequest | middleware       | no  | no  | no  | yes | poisoning (CVE-2025-29927)",
                "X-Now-Route-Matches | 1                    | no  | no  | no  | yes | poisoning (CVE-2024-46982)",
                "Forwarded        | for=192.0.2.1;host=evil | no  | no  | no  | no  | poisoning (trusted proxies only)",
                "X-Real-IP        | 192.0.2.1               | no  | no  | no  | no  | client identity (trusted proxies only)",
            })
    void eachModeForwardsItsDefault(
            String name, String value, String persistent, String http, String httpCookies, String pass, String source) {
        List<Header> client = List.of(new Header(name, value));
        check(OriginRequests.forRoute(PERSISTENT, KEY, client, PEER), name, value, persistent);
        check(OriginRequests.forRoute(HTTP, KEY, client, PEER), name, value, http);
        check(OriginRequests.forRoute(HTTP_COOKIES, KEY, client, PEER), name, value, httpCookies);
        check(
                OriginRequests.forPass(route(RouteMode.PASS, null, null), "GET", KEY, client, new byte[0], PEER),
                name,
                value,
                pass);
    }

    private static void check(OriginRequest r, String name, String value, String expected) {
        if (expected.equals("yes")) assertThat(forwarded(r, name)).as(name).isEqualTo(value);
        else assertThat(forwarded(r, name)).as(name).isNull();
    }

    @Test
    void fieldsNamedInConnectionAreHopByHopOnEveryMode() { // RFC 9110 §7.6.1
        List<Header> client = List.of(
                new Header("Connection", "X-Tenant, Origin"),
                new Header("X-Tenant", "acme"),
                new Header("Origin", "https://a.example"),
                new Header("Accept", "text/html"));
        OriginRequest r = OriginRequests.forRoute(HTTP, KEY, client, PEER);
        assertThat(forwarded(r, "X-Tenant")).isNull();
        assertThat(forwarded(r, "Origin")).isNull();
        assertThat(forwarded(r, "Accept")).isEqualTo("text/html");
    }

    @Test
    void aTrustedProxysClientIdentityReachesHttpRoutesButNeverItsHost() { // issue 8.5
        List<Header> client = List.of(
                new Header("Forwarded", "for=192.0.2.1"),
                new Header("X-Real-IP", "192.0.2.1"),
                new Header("X-Forwarded-Host", "evil.example"),
                new Header("X-Original-URL", "/admin"));
        OriginRequest r = OriginRequests.forRoute(HTTP, KEY, client, PROXY);
        assertThat(forwarded(r, "Forwarded")).isEqualTo("for=192.0.2.1");
        assertThat(forwarded(r, "X-Real-IP")).isEqualTo("192.0.2.1");
        assertThat(forwarded(r, "X-Forwarded-Host")).isNull();
        assertThat(forwarded(r, "X-Original-URL")).isNull();
    }

    @Test
    void withSitesTheForwardedHostIsTheKeyedOneOnHttpRoutesToo() { // issue 5: the site is part of the key
        CacheKey key = new KeyRules(List.of(), true, List.of("blog.example"), true).key("BLOG.example", "/a");
        OriginRequest r =
                OriginRequests.forRoute(HTTP, key, List.of(new Header("X-Forwarded-Host", "evil.example")), PROXY);
        assertThat(values(r, "X-Forwarded-Host")).containsExactly("blog.example");
    }

    @Test
    void requestHeadersForwardAddsToThePersistentDefaultAndDropTakesAway() { // issue 11
        RouteConfig r = route(
                RouteMode.PERSISTENT,
                new RequestHeadersConfig(List.of("accept-language"), List.of("user-agent")),
                null);
        OriginRequest o = OriginRequests.forRoute(
                r,
                KEY,
                List.of(
                        new Header("Accept-Language", "de"),
                        new Header("User-Agent", "curl"),
                        new Header("Accept", "text/html"),
                        new Header("Origin", "https://a.example")),
                PEER);
        assertThat(forwarded(o, "Accept-Language")).isEqualTo("de");
        assertThat(forwarded(o, "User-Agent")).isNull();
        assertThat(forwarded(o, "Accept")).isEqualTo("text/html");
        assertThat(forwarded(o, "Origin")).isNull();
    }

    @Test
    void requestHeadersApplyToHttpAndPassRoutes() {
        RouteConfig http =
                route(RouteMode.HTTP, new RequestHeadersConfig(List.of("x-forwarded-host"), List.of("referer")), null);
        List<Header> client = List.of(
                new Header("Referer", "https://a.example/"),
                new Header("X-Forwarded-Host", "tenant.example"),
                new Header("X-Debug", "1"));
        OriginRequest o = OriginRequests.forRoute(http, KEY, client, PEER);
        assertThat(forwarded(o, "Referer")).isNull();
        assertThat(forwarded(o, "X-Forwarded-Host")).isEqualTo("tenant.example"); // re-admitted by the operator
        RouteConfig pass = route(RouteMode.PASS, new RequestHeadersConfig(null, List.of("x-debug")), null);
        OriginRequest p = OriginRequests.forPass(pass, "POST", KEY, client, new byte[0], PEER);
        assertThat(forwarded(p, "X-Debug")).isNull();
        assertThat(forwarded(p, "Referer")).isEqualTo("https://a.example/");
    }

    @Test
    void cookieLinesAreCombinedIntoOne() { // RFC 6265 §5.4: one Cookie field
        OriginRequest r = OriginRequests.forRoute(
                HTTP_COOKIES, KEY, List.of(new Header("Cookie", "a=1"), new Header("Cookie", " b=2")), PEER);
        assertThat(values(r, "Cookie")).containsExactly("a=1; b=2");
        assertThat(Credentials.sent(r.headers())).isTrue();
        assertThat(Credentials.sent(OriginRequests.forRoute(HTTP, KEY, List.of(new Header("Cookie", "a=1")), PEER)
                        .headers()))
                .isFalse(); // not forwarded, so the request is anonymous
    }

    // ---- issue 8.4 bounds, extended to every forwarded field

    @Test
    void anOverlongFieldIsDroppedNotCut() {
        String referer = "https://a.example/" + "p".repeat(OriginRequests.MAX_FIELD);
        OriginRequest r = OriginRequests.forRoute(
                HTTP, KEY, List.of(new Header("Referer", referer), new Header("Origin", "https://a.example")), PEER);
        assertThat(forwarded(r, "Referer")).isNull();
        assertThat(forwarded(r, "Origin")).isEqualTo("https://a.example");
        String fits = "x".repeat(OriginRequests.MAX_FIELD);
        assertThat(forwarded(OriginRequests.forRoute(HTTP, KEY, List.of(new Header("X-A", fits)), PEER), "X-A"))
                .isEqualTo(fits);
        // the lines of one field count together, and go together
        List<Header> twoLines = List.of(new Header("X-A", fits.substring(1)), new Header("X-A", "yy"));
        assertThat(values(OriginRequests.forRoute(HTTP, KEY, twoLines, PEER), "X-A"))
                .isEmpty();
    }

    @Test
    void theReadersFieldsAreBoundedInTotalAndInNumber() {
        List<Header> many = new ArrayList<>();
        for (int i = 0; i < 200; i++) many.add(new Header("Z-F" + i, "v".repeat(100)));
        OriginRequest r = OriginRequests.forRoute(HTTP, KEY, many, PEER);
        List<Header> reader =
                r.headers().stream().filter(h -> h.name().startsWith("Z-F")).toList();
        int bytes = reader.stream()
                .mapToInt(h -> h.name().length() + h.value().length())
                .sum();
        assertThat(bytes).isLessThanOrEqualTo(OriginRequests.MAX_TOTAL);
        assertThat(reader).hasSizeLessThanOrEqualTo(OriginRequests.MAX_LINES);
        assertThat(reader.get(0).name()).isEqualTo("Z-F0"); // first come, first kept
        List<Header> small = new ArrayList<>();
        for (int i = 0; i < 100; i++) small.add(new Header("X-S" + i, "v"));
        assertThat(OriginRequests.forRoute(HTTP, KEY, small, PEER).headers().stream()
                        .filter(h -> h.name().startsWith("X-S")))
                .hasSize(OriginRequests.MAX_LINES);
    }

    @Test
    void credentialsAreExemptFromTheBounds() { // never collapsed: only their sender can suffer from them
        String jwt = "Bearer " + "j".repeat(OriginRequests.MAX_TOTAL);
        String cookie = "s=" + "c".repeat(OriginRequests.MAX_FIELD * 2);
        OriginRequest r = OriginRequests.forRoute(
                HTTP_COOKIES, KEY, List.of(new Header("Authorization", jwt), new Header("Cookie", cookie)), PEER);
        assertThat(forwarded(r, "Authorization")).isEqualTo(jwt);
        assertThat(forwarded(r, "Cookie")).isEqualTo(cookie);
    }
}
