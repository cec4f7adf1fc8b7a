package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.store.Header;
import dev.edgecache.proxy.origin.OriginRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class OriginRequestsTest {
    private static final List<Header> CLIENT = List.of(
            new Header("Host", "blog.example"),
            new Header("Cookie", "sid=1"),
            new Header("Authorization", "Basic eA=="),
            new Header("Accept", "text/html"),
            new Header("User-Agent", "curl"),
            new Header("If-None-Match", "\"x\""),
            new Header("Range", "bytes=0-1"),
            new Header("Accept-Encoding", "gzip"),
            new Header("X-Forwarded-Host", "evil"),
            new Header("Connection", "keep-alive, X-Hop"),
            new Header("X-Hop", "1"),
            new Header("Content-Length", "3"),
            new Header("X-Forwarded-For", "10.0.0.1"));

    private static List<String> names(OriginRequest r) {
        return r.headers().stream().map(Header::name).toList();
    }

    @Test
    void cacheableRendersAreAnonymousGetsWithOnlySafeHeaders() {
        OriginRequest r = OriginRequests.forCacheable(CacheKey.fromRequestTarget("/a?b=1"), CLIENT, "127.0.0.9");
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.target()).isEqualTo("/a?b=1");
        assertThat(r.body()).isEmpty();
        assertThat(names(r)).containsExactly("Accept", "User-Agent", "Via", "X-Forwarded-For", "X-Forwarded-Proto");
        assertThat(r.headers()).contains(new Header("X-Forwarded-For", "127.0.0.9")); // issue 8.5: not trusted
    }

    @Test
    void aKeyedSiteIsForwardedAndTheReadersForwardedHostIsNot() { // issue 5: the site is part of the key
        CacheKey key = new dev.edgecache.common.key.KeyRules(List.of("utm_*"), true, List.of("blog.example"), true)
                .key("BLOG.example:80", "/a?utm_id=1&b=1");
        OriginRequest r = OriginRequests.forCacheable(key, CLIENT, "127.0.0.9");
        assertThat(r.target()).isEqualTo("/a?b=1");
        assertThat(r.headers())
                .contains(new Header("X-Forwarded-Host", "blog.example"))
                .doesNotContain(new Header("X-Forwarded-Host", "evil"));
    }

    @Test
    void passRequestsKeepEndToEndHeadersAndDropHopByHop() { // RFC 9110 §7.6.1
        OriginRequest r =
                OriginRequests.forPass("POST", CacheKey.fromRequestTarget("/login"), CLIENT, new byte[3], "127.0.0.9");
        assertThat(names(r))
                .contains("Cookie", "Authorization", "If-None-Match", "Accept-Encoding", "Accept")
                .doesNotContain("Connection", "X-Hop", "Host", "Content-Length")
                .endsWith("Via", "X-Forwarded-For", "X-Forwarded-Proto");
        assertThat(r.headers()).contains(new Header("Via", "1.1 edge"), new Header("X-Forwarded-Proto", "http"));
    }

    @Test
    void anExistingViaIsExtendedOnlyFromATrustedProxy() {
        List<Header> client = List.of(new Header("Via", "1.1 cdn"));
        OriginRequest trusted = OriginRequests.forPass(
                "GET", CacheKey.fromRequestTarget("/"), client, new byte[0], new ClientHop("10.0.0.2", true));
        assertThat(trusted.headers()).contains(new Header("Via", "1.1 cdn, 1.1 edge"));
        OriginRequest untrusted = OriginRequests.forPass(
                "GET", CacheKey.fromRequestTarget("/"), client, new byte[0], ClientHop.untrusted("203.0.113.7"));
        assertThat(untrusted.headers())
                .contains(new Header("Via", "1.1 edge"))
                .doesNotContain(new Header("Via", "1.1 cdn, 1.1 edge"));
    }

    // ---- issue 8.5: forwarding headers are believed only from trusted proxies

    private static final List<Header> FORWARDED = List.of(
            new Header("Accept", "text/html"),
            new Header("X-Forwarded-For", "198.51.100.1, 10.0.0.1"),
            new Header("X-Forwarded-Proto", "https"),
            new Header("Via", "1.1 lb"),
            new Header("Forwarded", "for=192.0.2.60"),
            new Header("X-Real-IP", "192.0.2.60"),
            new Header("X-Forwarded-Host", "evil.example"));

    @Test
    void anUntrustedPeersForwardingHeadersAreReplacedOnEveryRoute() {
        ClientHop peer = ClientHop.untrusted("203.0.113.7");
        CacheKey key = CacheKey.fromRequestTarget("/a");
        for (OriginRequest r : List.of(
                OriginRequests.forCacheable(key, FORWARDED, peer),
                OriginRequests.forHttp(key, FORWARDED, peer),
                OriginRequests.forPass("POST", key, FORWARDED, new byte[0], peer))) {
            assertThat(values(r, "X-Forwarded-For")).as(r.method()).containsExactly("203.0.113.7");
            assertThat(values(r, "X-Forwarded-Proto")).as(r.method()).containsExactly("http");
            assertThat(values(r, "Via")).as(r.method()).containsExactly("1.1 edge");
            assertThat(names(r)).as(r.method()).doesNotContain("Forwarded", "X-Real-IP", "X-Forwarded-Host");
        }
    }

    @Test
    void aTrustedProxysForwardingHeadersAreExtended() {
        ClientHop proxy = new ClientHop("10.0.0.2", true);
        CacheKey key = CacheKey.fromRequestTarget("/a");
        for (OriginRequest r : List.of(
                OriginRequests.forCacheable(key, FORWARDED, proxy),
                OriginRequests.forHttp(key, FORWARDED, proxy),
                OriginRequests.forPass("POST", key, FORWARDED, new byte[0], proxy))) {
            assertThat(values(r, "X-Forwarded-For")).as(r.method()).containsExactly("198.51.100.1, 10.0.0.1, 10.0.0.2");
            assertThat(values(r, "X-Forwarded-Proto")).as(r.method()).containsExactly("https");
            assertThat(values(r, "Via")).as(r.method()).containsExactly("1.1 lb, 1.1 edge");
        }
        // on pass routes the trusted proxy's other claims are relayed; cacheable renders never carry them
        assertThat(names(OriginRequests.forPass("GET", key, FORWARDED, new byte[0], proxy)))
                .contains("Forwarded", "X-Real-IP", "X-Forwarded-Host");
        assertThat(names(OriginRequests.forCacheable(key, FORWARDED, proxy))).doesNotContain("Forwarded", "X-Real-IP");
    }

    @Test
    void aTrustedProxysOddProtoIsNotRelayed() {
        OriginRequest r = OriginRequests.forCacheable(
                CacheKey.fromRequestTarget("/a"),
                List.of(new Header("X-Forwarded-Proto", "javascript")),
                new ClientHop("10.0.0.2", true));
        assertThat(values(r, "X-Forwarded-Proto")).containsExactly("http");
    }

    @Test
    void theHopOfAConnectionIsTrustedOnlyInsideTheConfiguredBlocks() throws java.net.UnknownHostException {
        dev.edgecache.common.net.CidrSet trusted =
                dev.edgecache.common.net.CidrSet.parse(List.of("10.0.0.0/8", "2001:db8::/32"));
        assertThat(ClientHop.of(peer("10.1.2.3"), trusted)).isEqualTo(new ClientHop("10.1.2.3", true));
        assertThat(ClientHop.of(peer("2001:db8::7"), trusted).trusted()).isTrue();
        assertThat(ClientHop.of(peer("127.0.0.1"), trusted)).isEqualTo(ClientHop.untrusted("127.0.0.1"));
        assertThat(ClientHop.of(peer("10.1.2.3"), dev.edgecache.common.net.CidrSet.EMPTY)
                        .trusted())
                .isFalse();
        assertThat(ClientHop.of(null, trusted).trusted()).isFalse();
    }

    private static java.net.InetSocketAddress peer(String literal) throws java.net.UnknownHostException {
        return new java.net.InetSocketAddress(java.net.InetAddress.getAllByName(literal)[0], 5000);
    }

    // ---- issue 8.4: what a cacheable render forwards is bounded and normalised

    private static OriginRequest render(Header... client) {
        return OriginRequests.forCacheable(CacheKey.fromRequestTarget("/a"), List.of(client), "127.0.0.1");
    }

    @Test
    void anOversizedUserAgentIsCutToItsBound() {
        String ua = "Mozilla/5.0 " + "x".repeat(15_000);
        OriginRequest r = render(new Header("User-Agent", ua));
        assertThat(values(r, "User-Agent")).singleElement().satisfies(v -> {
            assertThat(v).hasSize(OriginRequests.MAX_USER_AGENT);
            assertThat(ua).startsWith(v);
        });
    }

    @Test
    void blanksAreCollapsedAndLinesCombined() {
        OriginRequest r = render(
                new Header("User-Agent", "  curl/8.0 \t\t (x)   "),
                new Header("Accept", "text/html,  \t application/xhtml+xml"),
                new Header("User-Agent", "second line"),
                new Header("Accept", "*/*;q=0.8"));
        assertThat(values(r, "User-Agent")).containsExactly("curl/8.0 (x)");
        assertThat(values(r, "Accept")).containsExactly("text/html, application/xhtml+xml, */*;q=0.8");
        assertThat(names(r)).startsWith("User-Agent", "Accept"); // the reader's order, one line each
    }

    @Test
    void anOversizedListIsCutAfterItsLastWholeElement() {
        String accept = "text/html, " + "application/x-filler;q=0.1, ".repeat(100) + "*/*";
        List<String> forwarded = values(render(new Header("Accept", accept)), "Accept");
        assertThat(forwarded).singleElement().satisfies(v -> {
            assertThat(v.length()).isLessThanOrEqualTo(OriginRequests.MAX_ACCEPT);
            assertThat(v).startsWith("text/html, ").endsWith("application/x-filler;q=0.1");
        });
        // a single element longer than the bound is dropped: no Accept means anything
        assertThat(names(render(new Header("Accept", "a".repeat(300))))).doesNotContain("Accept");
        assertThat(names(render(new Header("Accept", "   ")))).doesNotContain("Accept");
    }

    @Test
    void httpRoutesBoundAcceptLanguageButForwardAuthorizationUnchanged() {
        String token = "Bearer " + "t".repeat(1000);
        OriginRequest r = OriginRequests.forHttp(
                CacheKey.fromRequestTarget("/a"),
                List.of(
                        new Header("Accept-Language", "en-GB, " + "de;q=0.5, ".repeat(40) + "fr"),
                        new Header("Authorization", token),
                        new Header("User-Agent", "u".repeat(1000))),
                "127.0.0.1");
        assertThat(values(r, "Accept-Language"))
                .singleElement()
                .satisfies(v -> assertThat(v.length()).isLessThanOrEqualTo(OriginRequests.MAX_ACCEPT_LANGUAGE));
        assertThat(values(r, "Authorization")).containsExactly(token);
        assertThat(values(r, "User-Agent"))
                .singleElement()
                .satisfies(v -> assertThat(v).hasSize(OriginRequests.MAX_USER_AGENT));
    }

    @Test
    void passRoutesForwardValuesUnbounded() { // the reader's own request, not shared: the origin judges it
        String ua = "x".repeat(2000);
        OriginRequest r = OriginRequests.forPass(
                "GET",
                CacheKey.fromRequestTarget("/login"),
                List.of(new Header("User-Agent", ua)),
                new byte[0],
                "1.2.3.4");
        assertThat(values(r, "User-Agent")).containsExactly(ua);
    }

    private static List<String> values(OriginRequest r, String name) {
        return r.headers().stream()
                .filter(h -> h.name().equalsIgnoreCase(name))
                .map(Header::value)
                .toList();
    }
}
