package dev.edgecache.common.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CacheKeyTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/alice/hello, /alice/hello",
        "/alice/hello?, /alice/hello",
        "/alice/hello#frag, /alice/hello",
        "/%61lice/%7Ehello, /alice/~hello", // unreserved characters decoded (RFC 3986 §6.2.2.2)
        "/a/./b/../c, /a/c",
        "/a/%2e%2e/b, /b", // encoded dot-segments cannot climb
        "/../../etc, /etc",
        "/a/b/.., /a/",
        "/a%3ab, /a%3Ab", // other escapes upper-cased
        "/a?b=%7e&a=1, /a?a=1&b=~", // parameters sorted by name
        "/a?b=2&a=1&b=1, /a?a=1&b=2&b=1", // stable: values of one name keep their order
        "/a?&&b&a=, /a?a=&b", // empty parameters removed
        "/a//b///c, /a/b/c", // duplicate slashes merged by default
        "//login, /login", // so //login cannot dodge an exact /login route
        "/a//../b, /b",
        "http://example.com/x?y, /x?y",
        "/caf\u00e9, /caf%E9",
    })
    void normalises(String target, String expected) {
        assertThat(CacheKey.fromRequestTarget(target).target()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%2Fb", "/a%00", "/a%zz", "/a%2", "*", "relative", "/a b", "/a\u0001"})
    void rejectsWhatCannotBeKeyedSafely(String target) {
        assertThatThrownBy(() -> CacheKey.fromRequestTarget(target)).isInstanceOf(BadRequestTargetException.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/a?utm_source=x&b=1&fbclid=2, /a?b=1",
        "/a?utm_=1&utm=2, /a?utm=2", // utm_* needs the underscore
        "/a?UTM_source=x, /a?UTM_source=x", // names are case-sensitive
        "/a?utm%5Fsource=x&z=1, /a?z=1", // compared after decoding unreserved characters (RFC 3986 §6.2.2.2)
        "/a?fbclid, /a",
        "/a?fbclid2=1, /a?fbclid2=1", // exact names are exact
        "/a//b, /a//b", // keep: RFC 3986 treats /a//b and /a/b as different paths
        "/a//../b, /a/b",
    })
    void configuredRulesDropParametersAndKeepSlashes(String target, String expected) {
        KeyRules rules = new KeyRules(List.of("utm_*", "fbclid"), false, List.of(), true);
        assertThat(rules.key(null, target).target()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "Host {0} -> {1}")
    @CsvSource({
        "blog.example, blog.example",
        "BLOG.Example, blog.example", // RFC 3986 §6.2.2.1: the host is case-insensitive
        "blog.example:80, blog.example", // §6.2.3: the default port is the same authority
        "blog.example., blog.example", // a trailing dot is the same name
        "www.blog.example, www.blog.example",
        "blog.example:8080, blog.example:8080", // another port is another authority
        "[::1]:80, [::1]",
    })
    void hostsAreNormalisedAndKeyed(String host, String expected) {
        KeyRules rules = new KeyRules(
                List.of(), true, List.of("blog.example", "www.blog.example", "blog.example:8080", "[::1]"), true);
        CacheKey k = rules.key(host, "/a");
        assertThat(k.host()).isEqualTo(expected);
        assertThat(CacheKey.fromBytes(k.toBytes())).isEqualTo(k);
    }

    @Test
    void anAbsoluteFormTargetsAuthorityWinsOverHost() { // RFC 9112 §3.2.2
        KeyRules rules = new KeyRules(List.of(), true, List.of("a.example", "b.example"), true);
        assertThat(rules.key("a.example", "http://B.example/x").host()).isEqualTo("b.example");
    }

    @ParameterizedTest(name = "Host [{0}] with unknown-host reject -> 421")
    @CsvSource(
            value = {"other.example", "blog.example:8443", "NULL"},
            nullValues = "NULL")
    void unknownHostsAreMisdirectedOrTheDefaultSite(String host) { // RFC 9110 §15.5.20
        List<String> sites = List.of("blog.example", "www.blog.example");
        assertThatThrownBy(() -> new KeyRules(List.of(), true, sites, true).key(host, "/a"))
                .isInstanceOf(MisdirectedRequestException.class);
        assertThat(new KeyRules(List.of(), true, sites, false).key(host, "/a").host())
                .isEqualTo("blog.example");
    }

    @Test
    void withoutSitesTheHostIsNotPartOfTheKey() {
        assertThat(KeyRules.DEFAULT.key("anything.example", "/a")).isEqualTo(CacheKey.fromRequestTarget("/a"));
        assertThat(KeyRules.DEFAULT.key("anything.example", "/a").toBytes())
                .isEqualTo("/a".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void purgeUrlsCoverTheirSiteOrEverySite() {
        KeyRules rules = new KeyRules(List.of("utm_*"), true, List.of("a.example", "b.example"), true);
        assertThat(rules.keysFor("/x?utm_id=1"))
                .extracting(CacheKey::toString)
                .containsExactly("a.example/x", "b.example/x");
        assertThat(rules.keysFor("http://B.example/x"))
                .extracting(CacheKey::toString)
                .containsExactly("b.example/x");
        assertThat(rules.keyFor("/x").host())
                .as("edge-initiated renders use the first site")
                .isEqualTo("a.example");
    }

    @Test
    void bytesRoundTrip() {
        CacheKey k = CacheKey.fromRequestTarget("/alice/posts?page=2");
        assertThat(CacheKey.fromBytes(k.toBytes())).isEqualTo(k);
        assertThat(k.path()).isEqualTo("/alice/posts");
        assertThat(k.query()).isEqualTo("page=2");
    }
}
