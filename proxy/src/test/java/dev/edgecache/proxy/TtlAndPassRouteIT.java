package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.testing.EdgeServerExtension;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TTL routes refetch after their ttl; pass routes forward everything and store nothing. */
class TtlAndPassRouteIT {
    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @RegisterExtension
    final EdgeServerExtension edge = new EdgeServerExtension(origin::getPort);

    @Test
    void ttlPagesAreFreshForTheirTtlThenRefetched() {
        origin.stubFor(get("/alice/posts").willReturn(ok("v1")));
        assertThat(Http.get(edge.port(), "/alice/posts").body()).isEqualTo("v1");
        edge.clock().advance(Duration.ofSeconds(59));
        HttpResponse<String> fresh = Http.get(edge.port(), "/alice/posts");
        assertThat(fresh.headers().firstValue("Cache-Status")).contains("edge; hit");
        assertThat(fresh.headers().firstValue("Age")).contains("59");
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/posts")));

        origin.stubFor(get("/alice/posts").willReturn(ok("v2")));
        edge.clock().advance(Duration.ofSeconds(2));
        HttpResponse<String> refreshed = Http.get(edge.port(), "/alice/posts");
        assertThat(refreshed.body()).isEqualTo("v2");
        assertThat(refreshed.headers().firstValue("Cache-Status")).contains("edge; fwd=stale; stored");
        assertThat(Http.get(edge.port(), "/alice/posts").headers().firstValue("Cache-Status"))
                .contains("edge; hit");
        origin.verify(2, getRequestedFor(urlEqualTo("/alice/posts")));
    }

    @Test
    void queriesAreSeparatePages() {
        origin.stubFor(get(urlPathEqualTo("/alice/posts")).willReturn(ok("list")));
        Http.get(edge.port(), "/alice/posts?page=1");
        Http.get(edge.port(), "/alice/posts?page=2");
        Http.get(edge.port(), "/alice/posts?page=1");
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/posts?page=1")));
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/posts?page=2")));
    }

    @Test
    void passRoutesForwardMethodBodyAndCookiesAndReturnSetCookie() {
        origin.stubFor(post("/login")
                .willReturn(aResponse()
                        .withStatus(303)
                        .withHeader("Location", "/dashboard")
                        .withHeader("Set-Cookie", "sid=abc; HttpOnly; SameSite=Lax")));
        HttpResponse<String> r = Http.post(
                edge.port(),
                "/login",
                "user=alice&password=pw",
                "Cookie",
                "csrf=t1",
                "Content-Type",
                "application/x-www-form-urlencoded");
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Set-Cookie")).contains("sid=abc; HttpOnly; SameSite=Lax");
        assertThat(r.headers().firstValue("Cache-Status")).contains("edge; fwd=bypass");
        origin.verify(postRequestedFor(urlEqualTo("/login"))
                .withHeader("Cookie", equalTo("csrf=t1"))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
                .withHeader("Via", equalTo("1.1 edge"))
                .withRequestBody(equalTo("user=alice&password=pw")));
    }

    @Test
    void passRoutesAreNeverStored() {
        origin.stubFor(get("/api/me").willReturn(ok("{\"username\":\"alice\"}")));
        Http.get(edge.port(), "/api/me", "Cookie", "sid=abc");
        Http.get(edge.port(), "/api/me", "Cookie", "sid=abc");
        origin.verify(2, getRequestedFor(urlEqualTo("/api/me")).withHeader("Cookie", equalTo("sid=abc")));
    }

    @Test
    void unmatchedPathsPassThrough() {
        origin.stubFor(any(urlEqualTo("/a/b/c")).willReturn(ok("deep")));
        HttpResponse<String> r = Http.get(edge.port(), "/a/b/c");
        assertThat(r.headers().firstValue("Cache-Status")).contains("edge; fwd=bypass");
        Http.get(edge.port(), "/a/b/c");
        origin.verify(2, anyRequestedFor(urlEqualTo("/a/b/c")));
    }

    @Test
    void unsafeMethodsOnCacheableRoutesPassThrough() {
        origin.stubFor(any(urlEqualTo("/alice/hello")).willReturn(ok("done")));
        HttpResponse<String> r = Http.send(
                HttpRequest.newBuilder(Http.uri(edge.port(), "/alice/hello"))
                        .method("DELETE", HttpRequest.BodyPublishers.noBody()),
                "Cookie",
                "sid=abc");
        assertThat(r.headers().firstValue("Cache-Status")).contains("edge; fwd=bypass");
        origin.verify(1, anyRequestedFor(urlEqualTo("/alice/hello")).withHeader("Cookie", equalTo("sid=abc")));
    }

    @Test
    void headOnAPassRouteKeepsTheOriginsLength() {
        origin.stubFor(any(urlEqualTo("/api/file")).willReturn(ok("0123456789").withHeader("Content-Length", "10")));
        HttpResponse<String> r = Http.head(edge.port(), "/api/file");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Length")).contains("10");
    }
}
