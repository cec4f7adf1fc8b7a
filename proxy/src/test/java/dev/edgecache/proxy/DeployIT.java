package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.testing.Admin;
import dev.edgecache.proxy.testing.Await;
import dev.edgecache.proxy.testing.EdgeServerExtension;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Deploys: prerender of critical pages, atomic activation, failure threshold, rollback, retention. */
class DeployIT {
    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @RegisterExtension
    final EdgeServerExtension edge = new EdgeServerExtension(origin::getPort);

    private Admin admin;

    @BeforeEach
    void start() throws InterruptedException {
        admin = new Admin(edge.adminPort());
    }

    private JsonNode awaitEnd(String id) {
        Await.until(
                Duration.ofSeconds(15),
                "deploy " + id + " to finish rendering",
                () -> !admin.getJson("/deploys/" + id).get("state").asText().equals("rendering"));
        return admin.getJson("/deploys/" + id);
    }

    private HttpResponse<String> read(String path) {
        return Http.get(edge.port(), path);
    }

    @Test
    void aDeployRendersItsCriticalPagesThenGoesLiveWithThemAlreadyStored() {
        origin.stubFor(get("/alice/hello").willReturn(ok("v1 hello")));
        assertThat(read("/alice/hello").body()).isEqualTo("v1 hello");

        origin.stubFor(get("/alice/hello").willReturn(ok("v2 hello")));
        origin.stubFor(get("/bob/hello").willReturn(ok("v2 bob")));
        HttpResponse<String> created =
                admin.post("/deploys", "{\"id\":\"v2\",\"critical\":[\"/alice/hello\",\"/bob/hello\"]}");
        assertThat(created.statusCode()).isEqualTo(202);
        JsonNode done = awaitEnd("v2");
        assertThat(done.get("state").asText()).isEqualTo("active");
        assertThat(done.get("done").asInt()).isEqualTo(2);
        assertThat(done.get("failures").asInt()).isZero();
        assertThat(done.has("created-at") && done.has("activated-at"))
                .as("kebab-case like the rest of the API")
                .isTrue();

        HttpResponse<String> r = read("/alice/hello");
        assertThat(r.body()).isEqualTo("v2 hello");
        assertThat(r.headers().firstValue("Cache-Status")).contains("edge; hit");
        assertThat(read("/bob/hello").headers().firstValue("Cache-Status")).contains("edge; hit");
        origin.verify(2, getRequestedFor(urlEqualTo("/alice/hello"))); // one per deploy

        JsonNode list = admin.getJson("/deploys");
        assertThat(list.get("deploys").toString())
                .contains("\"id\":\"initial\",\"state\":\"retained\"")
                .contains("\"id\":\"v2\",\"state\":\"active\",\"pages\":2,\"active\":true");
        assertThat(admin.get("/metrics").body()).contains("edge_deploy_active_info{deploy=\"v2\"} 1");
    }

    @Test
    void rollbackServesTheOldDeploysPagesWithNoOriginRequest() {
        origin.stubFor(get("/alice/hello").willReturn(ok("v1 hello")));
        read("/alice/hello");
        origin.stubFor(get("/alice/hello").willReturn(ok("v2 hello")));
        admin.post("/deploys", "{\"id\":\"v2\",\"critical\":[\"/alice/hello\"]}");
        assertThat(awaitEnd("v2").get("state").asText()).isEqualTo("active");
        assertThat(read("/alice/hello").body()).isEqualTo("v2 hello");
        origin.resetRequests();

        assertThat(admin.post("/deploys/initial/activate", "").statusCode()).isEqualTo(200);
        HttpResponse<String> back = read("/alice/hello");
        assertThat(back.body()).isEqualTo("v1 hello");
        assertThat(back.headers().firstValue("Cache-Status")).contains("edge; hit");
        assertThat(admin.post("/deploys/v2/activate", "").statusCode()).isEqualTo(200);
        assertThat(read("/alice/hello").body()).isEqualTo("v2 hello");
        origin.verify(0, getRequestedFor(urlEqualTo("/alice/hello")));
    }

    @Test
    void aDeployWhoseCriticalPagesFailIsNotActivated() {
        origin.stubFor(get("/alice/hello").willReturn(ok("v1")));
        read("/alice/hello");
        origin.stubFor(get("/alice/broken").willReturn(serverError()));
        origin.stubFor(get("/alice/hello").willReturn(ok("v2")));
        admin.post("/deploys", "{\"id\":\"v2\",\"critical\":[\"/alice/hello\",\"/alice/broken\",\"/login\"]}");
        JsonNode failed = awaitEnd("v2");
        assertThat(failed.get("state").asText()).isEqualTo("failed");
        assertThat(failed.get("failures").asInt()).isEqualTo(2);
        assertThat(failed.get("reason").asText()).contains("2 of 3 critical pages failed");
        assertThat(failed.get("errors").toString()).contains("/alice/broken", "status 500", "/login", "not cacheable");
        assertThat(read("/alice/hello").body())
                .as("readers keep the old deploy")
                .isEqualTo("v1");
        assertThat(admin.post("/deploys/v2/activate", "").statusCode()).isEqualTo(409);
    }

    @Test
    void criticalPagesCanComeFromTheOrigin() {
        origin.stubFor(get(urlPathEqualTo("/_edge/critical")).willReturn(ok("[\"/alice/hello\",\"/alice/posts\"]")));
        origin.stubFor(get("/alice/hello").willReturn(ok("hello")));
        origin.stubFor(get("/alice/posts").willReturn(ok("posts")));
        admin.post("/deploys", "{\"id\":\"v2\",\"critical-from\":\"/_edge/critical?limit=2\"}");
        JsonNode done = awaitEnd("v2");
        assertThat(done.get("state").asText()).isEqualTo("active");
        assertThat(done.get("total").asInt()).isEqualTo(2);
        origin.verify(getRequestedFor(urlEqualTo("/_edge/critical?limit=2")));
    }

    @Test
    void aCriticalListTheOriginCannotGiveIsRefusedAtOnce() {
        origin.stubFor(get(urlPathEqualTo("/_edge/critical"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        HttpResponse<String> reset = admin.post("/deploys", "{\"id\":\"v2\",\"critical-from\":\"/_edge/critical\"}");
        assertThat(reset.statusCode()).isEqualTo(502);
        assertThat(reset.body()).contains("origin: ");
        origin.stubFor(get(urlPathEqualTo("/_edge/critical")).willReturn(ok("{\"not\": \"a list\"}")));
        HttpResponse<String> notAList = admin.post("/deploys", "{\"id\":\"v2\",\"critical-from\":\"/_edge/critical\"}");
        assertThat(notAList.statusCode()).isEqualTo(400);
        assertThat(notAList.body()).contains("is not a JSON list of paths");
        assertThat(admin.get("/deploys/v2").statusCode())
                .as("no deploy was created")
                .isEqualTo(404);
    }

    @Test
    void aDuplicateOrMalformedDeployIsRefused() {
        assertThat(admin.post("/deploys", "{\"id\":\"initial\",\"critical\":[]}")
                        .statusCode())
                .isEqualTo(409);
        assertThat(admin.post("/deploys", "{\"id\":\"bad id\",\"critical\":[]}").body())
                .contains("id must match");
        assertThat(admin.post("/deploys", "{\"id\":\"v3\"}").body())
                .contains("exactly one of critical and critical-from");
        assertThat(admin.get("/deploys/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void onlyTheConfiguredNumberOfDeploysIsRetained() {
        origin.stubFor(get("/alice/hello").willReturn(ok("x")));
        for (String id : new String[] {"v2", "v3", "v4"}) {
            edge.clock().advance(Duration.ofSeconds(1));
            admin.post("/deploys", "{\"id\":\"" + id + "\",\"critical\":[\"/alice/hello\"]}");
            assertThat(awaitEnd(id).get("state").asText()).isEqualTo("active");
        }
        assertThat(admin.getJson("/deploys/initial").get("state").asText()).isEqualTo("deleted");
        assertThat(admin.getJson("/deploys/v2").get("state").asText()).isEqualTo("retained");
        assertThat(admin.post("/deploys/initial/activate", "").statusCode()).isEqualTo(409);
    }

    @Test
    void ttlPagesOfThePreviousDeployAreServedStaleWhileTheNewOneRendersThem() {
        origin.stubFor(get("/alice/posts").willReturn(ok("old list")));
        read("/alice/posts");
        admin.post("/deploys", "{\"id\":\"v2\",\"critical\":[]}");
        assertThat(awaitEnd("v2").get("state").asText()).isEqualTo("active");
        origin.stubFor(get("/alice/posts").willReturn(ok("new list")));

        HttpResponse<String> stale = read("/alice/posts");
        assertThat(stale.body()).isEqualTo("old list");
        assertThat(stale.headers().firstValue("Cache-Status")).contains("edge; hit; fwd=stale");
        Await.until(
                Duration.ofSeconds(5),
                "the refresh",
                () -> read("/alice/posts").body().equals("new list"));

        origin.stubFor(get("/alice/hello").willReturn(ok("persistent")));
        assertThat(read("/alice/hello").headers().firstValue("Cache-Status"))
                .as("persistent routes purge on deploy by default")
                .contains("edge; fwd=miss; stored");
    }
}
