package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.edgecache.proxy.HttpRouteIT.page;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.edgecache.proxy.testing.EdgeServerExtension;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11, end to end: an http route forwards the request's end-to-end fields, so an origin that answers CORS
 * requests by {@code Origin} or renders per tenant by a custom field, and says so with {@code Vary}, works behind
 * the edge and gets one stored variant per value (RFC 9111 §4.1); poisoning fields never reach it; cookies only
 * where the route says, and then never shared (RFC 9111 §3.5); any unsafe method invalidates (RFC 9111 §4.4).
 */
class Issue11ForwardingIT {
    static final String ROUTES = """
            - {match: /cors/**, mode: http}
            - {match: /tenant/**, mode: http, request-headers: {drop: [Referer]}}
            - {match: /me/**, mode: http, forward-cookies: true}
            - {match: /lang/**, mode: persistent, request-headers: {forward: [Accept-Language], drop: [User-Agent]}}
            - {match: /docs/**, mode: http}
            """;

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @RegisterExtension
    final EdgeServerExtension edge = new EdgeServerExtension(origin::getPort, ROUTES);

    private static String status(HttpResponse<String> r) {
        return r.headers().firstValue("Cache-Status").orElse("");
    }

    private HttpResponse<String> read(String path, String... headers) {
        return Http.get(edge.port(), path, headers);
    }

    @Test
    void aCorsOriginGetsOneStoredAnswerPerOrigin() { // RFC 9111 §4.1, Fetch's CORS protocol
        for (String o : List.of("https://a.example", "https://b.example")) {
            origin.stubFor(get("/cors/data")
                    .withHeader("Origin", equalTo(o))
                    .willReturn(page(
                            "data for " + o,
                            "Access-Control-Allow-Origin",
                            o,
                            "Cache-Control",
                            "max-age=60",
                            "Vary",
                            "Origin")));
        }
        origin.stubFor(get("/cors/data")
                .withHeader("Origin", absent())
                .willReturn(page("same-origin data", "Cache-Control", "max-age=60", "Vary", "Origin")));

        HttpResponse<String> a1 = read("/cors/data", "Origin", "https://a.example");
        HttpResponse<String> b1 = read("/cors/data", "Origin", "https://b.example");
        assertThat(status(a1)).isEqualTo("edge; fwd=miss; stored");
        assertThat(status(b1)).isEqualTo("edge; fwd=miss; stored");
        assertThat(read("/cors/data").body()).isEqualTo("same-origin data");

        for (int i = 0; i < 2; i++) {
            HttpResponse<String> a = read("/cors/data", "Origin", "https://a.example");
            HttpResponse<String> b = read("/cors/data", "Origin", "https://b.example");
            assertThat(a.body()).isEqualTo("data for https://a.example");
            assertThat(a.headers().firstValue("Access-Control-Allow-Origin")).contains("https://a.example");
            assertThat(status(a)).isEqualTo("edge; hit");
            assertThat(b.body()).isEqualTo("data for https://b.example");
            assertThat(b.headers().firstValue("Access-Control-Allow-Origin")).contains("https://b.example");
            assertThat(status(b)).isEqualTo("edge; hit");
            HttpResponse<String> none = read("/cors/data");
            assertThat(none.body()).isEqualTo("same-origin data");
            assertThat(none.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
        origin.verify(1, getRequestedFor(urlEqualTo("/cors/data")).withHeader("Origin", equalTo("https://a.example")));
        origin.verify(1, getRequestedFor(urlEqualTo("/cors/data")).withHeader("Origin", equalTo("https://b.example")));
        origin.verify(1, getRequestedFor(urlEqualTo("/cors/data")).withHeader("Origin", absent()));
    }

    @Test
    void anOriginRenderingOnACustomFieldGetsOneStoredAnswerPerValue() { // RFC 9111 §4.1
        for (String t : List.of("acme", "globex")) {
            origin.stubFor(get("/tenant/home")
                    .withHeader("X-Tenant", equalTo(t))
                    .willReturn(page("home of " + t, "Cache-Control", "max-age=60", "Vary", "X-Tenant")));
        }
        assertThat(read("/tenant/home", "X-Tenant", "acme").body()).isEqualTo("home of acme");
        assertThat(read("/tenant/home", "X-Tenant", "globex").body()).isEqualTo("home of globex");
        HttpResponse<String> acme = read("/tenant/home", "X-Tenant", "acme", "Referer", "https://x.example/");
        HttpResponse<String> globex = read("/tenant/home", "X-Tenant", "globex");
        assertThat(acme.body()).isEqualTo("home of acme");
        assertThat(status(acme)).isEqualTo("edge; hit");
        assertThat(globex.body()).isEqualTo("home of globex");
        assertThat(status(globex)).isEqualTo("edge; hit");
        origin.verify(1, getRequestedFor(urlEqualTo("/tenant/home")).withHeader("X-Tenant", equalTo("acme")));
        origin.verify(1, getRequestedFor(urlEqualTo("/tenant/home")).withHeader("X-Tenant", equalTo("globex")));
    }

    @Test
    void endToEndFieldsReachTheOriginAndPoisoningOnesDoNot() {
        origin.stubFor(get("/docs/p").willReturn(page("p", "Cache-Control", "no-store")));
        read(
                "/docs/p",
                "Referer",
                "https://a.example/from",
                "X-Requested-With",
                "XMLHttpRequest",
                "Cookie",
                "sid=secret",
                "If-None-Match",
                "\"reader\"",
                "X-Forwarded-Host",
                "evil.example",
                "X-Original-URL",
                "/admin",
                "X-HTTP-Method-Override",
                "DELETE",
                "X-Forwarded-Scheme",
                "nothttps");
        LoggedRequest seen =
                origin.findAll(getRequestedFor(urlEqualTo("/docs/p"))).get(0);
        assertThat(seen.getHeader("Referer")).isEqualTo("https://a.example/from");
        assertThat(seen.getHeader("X-Requested-With")).isEqualTo("XMLHttpRequest");
        for (String never : List.of(
                "Cookie",
                "If-None-Match",
                "X-Forwarded-Host",
                "X-Original-URL",
                "X-HTTP-Method-Override",
                "X-Forwarded-Scheme")) {
            assertThat(seen.containsHeader(never)).as(never).isFalse();
        }
    }

    @Test
    void requestHeadersAddToAPersistentRouteAndTakeFromAnHttpOne() {
        origin.stubFor(get("/lang/home").willReturn(aResponse().withBody("home")));
        origin.stubFor(get("/tenant/r").willReturn(page("r", "Cache-Control", "no-store")));
        read("/lang/home", "Accept-Language", "de", "Origin", "https://a.example");
        read("/tenant/r", "Referer", "https://a.example/", "Origin", "https://a.example");
        LoggedRequest lang =
                origin.findAll(getRequestedFor(urlEqualTo("/lang/home"))).get(0);
        assertThat(lang.getHeader("Accept-Language")).isEqualTo("de");
        assertThat(lang.containsHeader("User-Agent")).isFalse(); // dropped by the route
        assertThat(lang.containsHeader("Origin")).isFalse(); // not in the persistent default
        LoggedRequest tenant =
                origin.findAll(getRequestedFor(urlEqualTo("/tenant/r"))).get(0);
        assertThat(tenant.containsHeader("Referer")).isFalse();
        assertThat(tenant.getHeader("Origin")).isEqualTo("https://a.example");
    }

    @Test
    void aCookieRequestNeverMakesAPageForEveryone() { // issue 11: forward-cookies, RFC 9111 §3.5
        origin.stubFor(get("/me/home")
                .withHeader("Cookie", equalTo("sid=alice"))
                .willReturn(page("hello alice", "Cache-Control", "public, max-age=60")));
        origin.stubFor(get("/me/home")
                .withHeader("Cookie", absent())
                .willReturn(page("hello stranger", "Cache-Control", "public, max-age=60")));
        HttpResponse<String> alice = read("/me/home", "Cookie", "sid=alice");
        assertThat(alice.body()).isEqualTo("hello alice");
        // public, but no Vary: Cookie: not stored
        assertThat(status(alice)).isEqualTo("edge; fwd=miss; detail=vary-cookie-missing");
        HttpResponse<String> stranger = read("/me/home");
        assertThat(stranger.body()).isEqualTo("hello stranger");
        assertThat(status(stranger)).isEqualTo("edge; fwd=miss; stored");
        assertThat(status(read("/me/home"))).isEqualTo("edge; hit");
        // the anonymous page, stored without Vary: Cookie, never answers a reader with a cookie
        HttpResponse<String> again = read("/me/home", "Cookie", "sid=alice");
        assertThat(again.body()).isEqualTo("hello alice");
        assertThat(status(again)).doesNotContain("hit");
        origin.verify(2, getRequestedFor(urlEqualTo("/me/home")).withHeader("Cookie", equalTo("sid=alice")));
    }

    @Test
    void aPageVaryingOnCookieIsStoredPerCookieWhenItSaysSo() { // issue 11: Vary: Cookie + public
        for (String who : List.of("alice", "bob")) {
            origin.stubFor(get("/me/v")
                    .withHeader("Cookie", equalTo("sid=" + who))
                    .willReturn(page("hello " + who, "Cache-Control", "public, max-age=60", "Vary", "Cookie")));
        }
        origin.stubFor(get("/me/v")
                .withHeader("Cookie", absent())
                .willReturn(page("hello stranger", "Cache-Control", "max-age=60", "Vary", "Cookie")));
        assertThat(status(read("/me/v", "Cookie", "sid=alice"))).isEqualTo("edge; fwd=miss; stored");
        assertThat(read("/me/v").body()).isEqualTo("hello stranger");
        HttpResponse<String> bob = read("/me/v", "Cookie", "sid=bob");
        assertThat(bob.body()).isEqualTo("hello bob");
        HttpResponse<String> alice = read("/me/v", "Cookie", "sid=alice");
        assertThat(alice.body()).isEqualTo("hello alice");
        assertThat(status(alice)).isEqualTo("edge; hit");
        HttpResponse<String> stranger = read("/me/v");
        assertThat(stranger.body()).isEqualTo("hello stranger");
        assertThat(status(stranger)).isEqualTo("edge; hit");
        origin.verify(1, getRequestedFor(urlEqualTo("/me/v")).withHeader("Cookie", equalTo("sid=alice")));
    }

    @Test
    void anyMethodNotKnownToBeSafeInvalidates() { // RFC 9111 §4.4, RFC 9110 §9.2.1
        origin.stubFor(get("/docs/x").willReturn(page("x", "Cache-Control", "max-age=60")));
        origin.stubFor(
                request("MKCOL", urlEqualTo("/docs/x")).willReturn(aResponse().withStatus(201)));
        origin.stubFor(request("PROPFIND", urlEqualTo("/docs/x"))
                .willReturn(aResponse().withStatus(207)));
        read("/docs/x");
        assertThat(status(read("/docs/x"))).isEqualTo("edge; hit");

        assertThat(send("PROPFIND", "/docs/x").statusCode()).isEqualTo(207); // safe: nothing invalidated
        assertThat(status(read("/docs/x"))).isEqualTo("edge; hit");

        assertThat(send("MKCOL", "/docs/x").statusCode()).isEqualTo(201);
        assertThat(status(read("/docs/x"))).isEqualTo("edge; fwd=miss; stored");
        origin.verify(2, getRequestedFor(urlEqualTo("/docs/x")));
    }

    private HttpResponse<String> send(String method, String path) {
        return Http.send(HttpRequest.newBuilder(Http.uri(edge.port(), path))
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }
}
