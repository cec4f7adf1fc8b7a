package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.testing.Admin;
import dev.edgecache.proxy.testing.Await;
import dev.edgecache.proxy.testing.ClusterTestNode;
import dev.edgecache.proxy.testing.EdgeProcess;
import dev.edgecache.proxy.testing.OriginGate;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.RedisServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, deploys of a cluster with real processes (a redis-server, three built edge jars, a WireMock origin):
 * {@code POST /deploys} on one node renders each critical page once in the whole cluster, every node reports its
 * progress, and the deploy goes live everywhere; a node killed during the deploy holds it back only until it leaves
 * the membership, and adopts the active deploy when it comes back, before it serves.
 */
class ClusterDeployIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> IDS = List.of("edge-a", "edge-b", "edge-c");

    static final OriginGate gate = new OriginGate();

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock(gate);

    @TempDir
    Path dir;

    private RedisServer redis;
    private final List<EdgeProcess> running = new ArrayList<>();

    private ClusterTestNode node(String id) throws IOException {
        return new ClusterTestNode(dir, id, origin.getPort(), redis.uri(), "10s", "5s", running);
    }

    @BeforeEach
    void startRedis() throws IOException {
        gate.open();
        redis = RedisServer.start(dir.resolve("redis"));
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        gate.open();
        for (EdgeProcess p : running) p.close();
        if (redis != null) redis.stop();
    }

    private List<ClusterTestNode> threeNodes() throws IOException {
        List<ClusterTestNode> nodes = new ArrayList<>();
        for (String id : IDS) nodes.add(node(id).start());
        for (ClusterTestNode n : nodes) n.awaitPeers(IDS, WAIT);
        return nodes;
    }

    private static List<String> critical(int n) {
        return IntStream.range(0, n).mapToObj(i -> "/alice/c" + i).toList();
    }

    private static String deployBody(String id, List<String> paths) {
        return "{\"id\":\"" + id + "\",\"critical\":[\"" + String.join("\",\"", paths) + "\"]}";
    }

    private static int originRequests() {
        return origin.countRequestsMatching(
                        getRequestedFor(urlPathMatching("/alice/.*")).build())
                .getCount();
    }

    @Test
    void aDeployThroughOneNodeRendersEachCriticalPageOnceInTheClusterAndGoesLiveOnEveryNode() throws Exception {
        origin.stubFor(
                get(urlPathMatching("/alice/.*")).willReturn(ok("v2 page").withFixedDelay(100)));
        List<ClusterTestNode> nodes = threeNodes();
        ClusterTestNode a = nodes.get(0);
        ClusterTestNode b = nodes.get(1);
        List<String> paths = critical(12);

        HttpResponse<String> created = b.admin().post("/deploys", deployBody("v2", paths));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        assertThat(Admin.json(created).get("state").asText()).isEqualTo("rendering");

        Await.until(WAIT, "v2 active on edge-a", () -> a.deployState("v2").equals("active"));
        JsonNode shown = a.admin().getJson("/deploys/v2");
        assertThat(shown.get("total").asInt()).isEqualTo(paths.size());
        JsonNode progress = shown.get("nodes");
        assertThat(progress).as(shown.toString()).isNotNull();
        for (String id : IDS) {
            JsonNode p = progress.get(id);
            assertThat(p).as("%s in %s", id, shown).isNotNull();
            assertThat(p.get("state").asText()).as(id).isEqualTo("done");
            assertThat(p.get("done").asInt()).as(id).isEqualTo(paths.size());
            assertThat(p.get("total").asInt()).as(id).isEqualTo(paths.size());
            assertThat(p.get("failures").asInt()).as(id).isZero();
            assertThat(p.has("updated-at")).isTrue();
        }
        for (String p : paths) origin.verify(1, getRequestedFor(urlEqualTo(p)));
        assertThat(originRequests())
                .as("one render per critical page in the whole cluster")
                .isEqualTo(paths.size());

        for (ClusterTestNode n : nodes) {
            Await.until(WAIT, "v2 active on " + n.id, () -> n.deployState("v2").equals("active"));
            for (String p : paths) {
                HttpResponse<String> r = n.read(p);
                assertThat(r.body()).as("%s on %s", p, n.id).isEqualTo("v2 page");
                assertThat(r.headers().firstValue("Cache-Status"))
                        .as("%s on %s: rendered into v2 before it went live", p, n.id)
                        .contains("edge; hit");
            }
        }
        assertThat(originRequests())
                .as("no origin request after the activation")
                .isEqualTo(paths.size());
        assertThat(b.process.output()).contains("deploy.cluster-activate id=v2");

        HttpResponse<String> again = a.admin().post("/deploys", deployBody("v2", paths));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
    }

    @Test
    void aNodeKilledDuringTheDeployIsNotWaitedForOnceItLeftAndAdoptsTheDeployWhenItComesBack() throws Exception {
        origin.stubFor(get(urlPathMatching("/alice/.*")).willReturn(ok("v1 page")));
        List<ClusterTestNode> nodes = threeNodes();
        ClusterTestNode a = nodes.get(0);
        ClusterTestNode b = nodes.get(1);
        ClusterTestNode c = nodes.get(2);
        List<String> paths = critical(8);
        for (ClusterTestNode n : nodes) assertThat(n.read("/alice/c0").body()).isEqualTo("v1 page");

        origin.stubFor(
                get(urlPathMatching("/alice/.*")).willReturn(ok("v2 page").withTransformers(OriginGate.NAME)));
        gate.close();
        HttpResponse<String> created = b.admin().post("/deploys", deployBody("v2", paths));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        Await.until(WAIT, "renders held at the origin", () -> gate.held() >= 1);
        c.process.kill9();
        long killedAt = System.nanoTime();
        gate.open();

        Await.until(WAIT, "v2 active on edge-b", () -> b.deployState("v2").equals("active"));
        long tookMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertThat(tookMs)
                .as("waited for edge-c only until its heartbeat expired")
                .isLessThan(20_000);
        JsonNode progress = a.admin().getJson("/deploys/v2").get("nodes");
        assertThat(progress.get("edge-a").get("state").asText()).isEqualTo("done");
        assertThat(progress.get("edge-b").get("state").asText()).isEqualTo("done");
        assertThat(progress.get("edge-c").get("state").asText())
                .as("reported as not waited for: %s", progress)
                .isEqualTo("left");
        for (ClusterTestNode n : List.of(a, b)) {
            Await.until(WAIT, "v2 active on " + n.id, () -> n.deployState("v2").equals("active"));
            for (String p : paths)
                assertThat(n.read(p).headers().firstValue("Cache-Status")).contains("edge; hit");
        }

        c.start();
        String log = c.process.output();
        assertThat(log).contains("deploy.activated id=v2");
        assertThat(log.indexOf("deploy.activated id=v2"))
                .as("the active deploy is adopted before the reader port binds")
                .isLessThan(log.indexOf("edge.listen"));
        assertThat(c.admin().getJson("/deploys/v2").get("state").asText()).isEqualTo("active");
        for (String p : paths) assertThat(c.read(p).body()).as(p + " on edge-c").isEqualTo("v2 page");
    }

    @Test
    void aDeployWithTooManyFailedPagesFailsOnEveryNodeAndNothingSwitches() throws Exception {
        origin.stubFor(get(urlPathMatching("/alice/.*")).willReturn(ok("v1 page")));
        List<ClusterTestNode> nodes = threeNodes();
        List<String> paths = critical(6);
        for (ClusterTestNode n : nodes)
            assertThat(n.read("/alice/before").body()).isEqualTo("v1 page");
        origin.stubFor(get(urlPathMatching("/alice/c.*")).willReturn(serverError()));

        HttpResponse<String> created = nodes.get(1).admin().post("/deploys", deployBody("broken", paths));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        for (ClusterTestNode n : nodes) {
            Await.until(
                    WAIT,
                    "broken failed on " + n.id,
                    () -> n.deployState("broken").equals("failed"));
            JsonNode shown = n.admin().getJson("/deploys/broken");
            assertThat(shown.get("reason").asText()).as(n.id).contains("critical pages failed");
            assertThat(n.admin().getJson("/deploys").toString())
                    .as(n.id)
                    .contains("\"id\":\"initial\",\"state\":\"active\"");
            HttpResponse<String> before = n.read("/alice/before");
            assertThat(before.body()).as(n.id).isEqualTo("v1 page");
            assertThat(before.headers().firstValue("Cache-Status")).as(n.id).contains("edge; hit");
        }
        for (String p : paths) {
            int renders = origin.countRequestsMatching(
                            getRequestedFor(urlEqualTo(p)).build())
                    .getCount();
            assertThat(renders)
                    .as("a failed page is not stored, so each node may ask once: %s", p)
                    .isBetween(1, 3);
        }
    }
}
