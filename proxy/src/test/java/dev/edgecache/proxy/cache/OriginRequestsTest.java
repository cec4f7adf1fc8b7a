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
        assertThat(r.headers()).contains(new Header("X-Forwarded-For", "10.0.0.1, 127.0.0.9"));
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
    void anExistingViaIsExtended() {
        OriginRequest r = OriginRequests.forPass(
                "GET",
                CacheKey.fromRequestTarget("/"),
                List.of(new Header("Via", "1.1 cdn")),
                new byte[0],
                "127.0.0.1");
        assertThat(r.headers()).contains(new Header("Via", "1.1 cdn, 1.1 edge"));
    }
}
