package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.common.config.EdgeConfig;
import dev.edgecache.common.testing.FakeClock;
import dev.edgecache.proxy.testing.Admin;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.TestEdge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The admin port: token checks, inspection, reload, readiness. */
class AdminIT {
    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock();
    private EdgeServer edge;

    @AfterEach
    void stop() {
        if (edge != null) edge.close();
    }

    private Admin start(String routes) throws Exception {
        Path file = dir.resolve("edge.yaml");
        write(file, routes);
        edge = EdgeServer.start(EdgeConfig.load(file), file, clock);
        return new Admin(edge.adminPort());
    }

    private void write(Path file, String routes) throws IOException {
        Files.writeString(
                file, """
                listen: 127.0.0.1:0
                origin: {url: "http://127.0.0.1:%d"}
                store: {path: %s}
                admin: {listen: "127.0.0.1:0", token: %s}
                routes:
                %s
                """.formatted(origin.getPort(), dir.resolve("store"), TestEdge.TOKEN, routes.indent(2)));
    }

    @Test
    void everyCallButHealthNeedsTheToken() throws Exception {
        start("- {match: \"/**\", mode: persistent}");
        for (String path : new String[] {"/metrics", "/deploys", "/keys", "/keys/info?url=/a", "/deploys/initial"}) {
            assertThat(Http.get(edge.adminPort(), path).statusCode()).as(path).isEqualTo(401);
            assertThat(Http.get(edge.adminPort(), path, "Authorization", "Bearer " + TestEdge.TOKEN + "x")
                            .statusCode())
                    .as(path)
                    .isEqualTo(401);
        }
        assertThat(Http.post(edge.adminPort(), "/reload", "").statusCode()).isEqualTo(401);
        assertThat(Http.get(edge.adminPort(), "/healthz").statusCode()).isEqualTo(200);
        assertThat(Http.get(edge.adminPort(), "/readyz").body())
                .startsWith("{\"ready\":true,\"origin\":{\"status\":\"reachable\",")
                .endsWith(",\"store\":{\"status\":\"ok\"}}");
    }

    @Test
    void keysAndKeyInfoShowWhatIsStoredAndWhy() throws Exception {
        Admin admin = start("""
                - {match: "/{user}/posts", mode: ttl, ttl: 60s}
                - {match: "/**", mode: persistent}
                """);
        origin.stubFor(get("/alice/hello").willReturn(ok("hello").withHeader("Cache-Tag", "user:alice")));
        origin.stubFor(get("/alice/posts").willReturn(ok("list")));
        Http.get(edge.port(), "/alice/hello");
        Http.get(edge.port(), "/alice/posts");
        origin.stubFor(get("/bob/x").willReturn(ok("x")));
        Http.get(edge.port(), "/bob/x");

        JsonNode keys = admin.getJson("/keys?prefix=/alice/&limit=1");
        assertThat(keys.get("deploy").asText()).isEqualTo("initial");
        assertThat(keys.get("keys").toString()).isEqualTo("[\"/alice/hello\"]");
        assertThat(keys.get("truncated").asBoolean()).isTrue();

        JsonNode info = admin.getJson("/keys/info?url=/alice/hello");
        assertThat(info.get("state").asText()).isEqualTo("fresh");
        assertThat(info.get("tags").toString()).isEqualTo("[\"user:alice\"]");
        assertThat(info.get("size").asInt()).isEqualTo(5);
        assertThat(info.get("etag").asText()).startsWith("\"");
        assertThat(info.get("expires-at").isNull()).isTrue();

        clock.advance(Duration.ofSeconds(61));
        assertThat(admin.getJson("/keys/info?url=/alice/posts").get("state").asText())
                .isEqualTo("stale");
        assertThat(admin.get("/keys/info?url=/nothing").statusCode()).isEqualTo(404);
        assertThat(admin.get("/keys?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    void reloadSwapsRoutesAndABrokenFileKeepsTheOldOnes() throws Exception {
        Admin admin = start("- {match: \"/**\", mode: pass}");
        origin.stubFor(get("/alice/hello").willReturn(ok("hello")));
        assertThat(Http.get(edge.port(), "/alice/hello").headers().firstValue("Cache-Status"))
                .contains("edge; fwd=bypass");

        write(dir.resolve("edge.yaml"), "- {match: \"/**\", mode: forever}");
        var refused = admin.post("/reload", "");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body())
                .contains("edge.yaml:6:")
                .contains("routes[0].mode")
                .contains("unknown mode 'forever'");
        assertThat(Http.get(edge.port(), "/alice/hello").headers().firstValue("Cache-Status"))
                .contains("edge; fwd=bypass");

        write(dir.resolve("edge.yaml"), "- {match: \"/**\", mode: persistent}");
        JsonNode ok = admin.postJson("/reload", "");
        assertThat(ok.get("routes").asInt()).isEqualTo(1);
        assertThat(Http.get(edge.port(), "/alice/hello").headers().firstValue("Cache-Status"))
                .contains("edge; fwd=miss; stored");
    }

    @Test
    void unknownCallsAre404() throws Exception {
        Admin admin = start("- {match: \"/**\", mode: pass}");
        assertThat(admin.get("/nope").statusCode()).isEqualTo(404);
        assertThat(admin.post("/deploys/initial/explode", "").statusCode()).isEqualTo(404);
    }
}
