package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.testing.Admin;
import dev.edgecache.proxy.testing.Await;
import dev.edgecache.proxy.testing.ClusterTestNode;
import dev.edgecache.proxy.testing.EdgeProcess;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.RedisServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowingConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 with real processes: a redis-server, three built edge jars and a WireMock origin. Purges go through the
 * cluster log to every node; a node killed with {@code kill -9} replays the purges it missed before it serves;
 * with Redis gone, hits keep coming and purges are refused (503), and they flow again once Redis is back.
 */
class ClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** Not served from this node's store: rendered by the origin, or (peer fill) by the key's owner. */
    private static final ThrowingConsumer<String> MISS = s -> assertThat(s).contains("fwd=miss");

    private static final ThrowingConsumer<String> PEER = s -> assertThat(s).contains("fwd=peer");

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    Path dir;

    private RedisServer redis;
    private final List<EdgeProcess> running = new ArrayList<>();

    private ClusterTestNode node(String id) throws IOException {
        return new ClusterTestNode(dir, id, origin.getPort(), redis.uri(), "5s", "2s", running);
    }

    @BeforeEach
    void startRedis() throws IOException {
        redis = RedisServer.start(dir.resolve("redis"));
        origin.stubFor(get(urlPathMatching("/alice/.*")).willReturn(ok("page")));
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (EdgeProcess p : running) p.close();
        if (redis != null) redis.stop();
    }

    private List<ClusterTestNode> threeNodes() throws IOException {
        return nodes("edge-a", "edge-b", "edge-c");
    }

    private List<ClusterTestNode> nodes(String... ids) throws IOException {
        List<ClusterTestNode> nodes = new ArrayList<>();
        for (String id : ids) nodes.add(node(id).start());
        return nodes;
    }

    @Test
    void aPurgeOnOneNodeIsAMissOnEveryNodeAtItsNextRequest() throws IOException {
        List<ClusterTestNode> nodes = threeNodes();
        for (ClusterTestNode n : nodes) {
            assertThat(n.read("/alice/hello").body()).isEqualTo("page");
            assertThat(n.cacheStatus("/alice/hello")).contains("edge; hit");
        }
        ClusterTestNode a = nodes.get(0);
        Await.until(
                WAIT,
                "three members",
                () -> a.admin().getJson("/cluster").get("members").size() == 3);

        HttpResponse<String> purged = a.admin().post("/purge", "{\"urls\":[\"/alice/hello\"],\"wait\":\"all\"}");
        assertThat(purged.statusCode()).as(purged.body()).isEqualTo(200);
        JsonNode answer = Admin.json(purged);
        assertThat(answer.get("purged").asInt()).isEqualTo(1);
        String position = answer.get("position").asText();
        assertThat(position).matches("\\d+-\\d+");

        origin.stubFor(get(urlEqualTo("/alice/hello")).willReturn(ok("after the purge")));
        for (ClusterTestNode n : nodes) {
            assertThat(n.read("/alice/hello").body())
                    .as(n.id + " after the purge")
                    .isEqualTo("after the purge");
        }
        // peer fill: the key's owner renders once before the purge and once after, whoever reads
        origin.verify(2, getRequestedFor(urlEqualTo("/alice/hello")));

        JsonNode cluster = nodes.get(1).admin().getJson("/cluster");
        assertThat(cluster.get("node").asText()).isEqualTo("edge-b");
        assertThat(cluster.get("members").toString()).contains("edge-a", "edge-b", "edge-c");
        for (JsonNode m : cluster.get("members")) {
            assertThat(m.get("position").asText()).isEqualTo(position);
            assertThat(m.get("lag").asLong()).isZero();
            assertThat(m.get("deploy").asText()).isEqualTo("initial");
            assertThat(m.has("peer") && m.has("seen")).isTrue();
        }

        HttpResponse<String> local =
                nodes.get(2).admin().post("/purge", "{\"urls\":[\"/alice/hello\"],\"scope\":\"local\"}");
        assertThat(Admin.json(local).get("scope").asText()).isEqualTo("local");
        assertThat(nodes.get(2).cacheStatus("/alice/hello")).satisfiesAnyOf(MISS, PEER);
        assertThat(a.cacheStatus("/alice/hello"))
                .as("a local purge stays local")
                .contains("edge; hit");
    }

    @Test
    void aNodeKilledWhilePurgesRunReplaysThemBeforeItServes() throws IOException, InterruptedException {
        List<ClusterTestNode> nodes = threeNodes();
        ClusterTestNode a = nodes.get(0);
        ClusterTestNode c = nodes.get(2);
        int pages = 100;
        for (int i = 0; i < pages; i++)
            assertThat(c.cacheStatus("/alice/p" + i)).satisfiesAnyOf(MISS, PEER);
        assertThat(c.cacheStatus("/alice/kept")).satisfiesAnyOf(MISS, PEER);
        c.process.kill9();

        for (int i = 0; i < pages; i++) {
            HttpResponse<String> r = a.admin().post("/purge", "{\"urls\":[\"/alice/p" + i + "\"]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        c.start();
        String log = c.process.output();
        assertThat(log).contains("cluster.caught-up node=edge-c");
        assertThat(log.indexOf("cluster.caught-up node=edge-c"))
                .as("the log is replayed before the reader port binds")
                .isLessThan(log.indexOf("edge.listen"));
        assertThat(c.cacheStatus("/alice/kept"))
                .as("what was not purged survived the kill")
                .contains("edge; hit");
        for (int i = 0; i < pages; i++) {
            assertThat(c.cacheStatus("/alice/p" + i))
                    .as("purged page p" + i + " on the restarted node")
                    .satisfiesAnyOf(MISS, PEER);
        }
        origin.verify(2, getRequestedFor(urlEqualTo("/alice/p7")));
    }

    @Test
    void withRedisGoneHitsAreServedAndPurgesRefusedThenPurgesFlowAgain() throws Exception {
        List<ClusterTestNode> nodes = threeNodes();
        ClusterTestNode a = nodes.get(0);
        ClusterTestNode b = nodes.get(1);
        for (ClusterTestNode n : nodes) n.read("/alice/hello");
        redis.kill9();

        for (int i = 0; i < 20; i++) assertThat(a.cacheStatus("/alice/hello")).contains("edge; hit");
        assertThat(b.cacheStatus("/alice/other")).as("misses are served too").satisfiesAnyOf(MISS, PEER);
        HttpResponse<String> refused = a.admin().post("/purge", "{\"urls\":[\"/alice/hello\"]}");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body())
                .contains("Redis")
                .contains("nothing was changed")
                .contains("scope");
        HttpResponse<String> deploy = a.admin().post("/deploys", "{\"id\":\"v2\",\"critical\":[\"/alice/hello\"]}");
        assertThat(deploy.statusCode()).as(deploy.body()).isEqualTo(503);
        Await.until(
                WAIT,
                "readyz to report the cluster degraded",
                () -> Http.get(a.process.adminPort, "/readyz").body().contains("degraded"));
        assertThat(b.cacheStatus("/alice/hello"))
                .as("nothing was purged on another node")
                .contains("edge; hit");

        redis.restart(); // empty: no persistence, so every node sees the log reset and soft-purges (safe side)
        Await.until(WAIT, "all three nodes back in the membership", () -> {
            HttpResponse<String> r = a.admin().get("/cluster");
            return r.statusCode() == 200 && Admin.json(r).get("members").size() == 3;
        });
        Await.until(
                WAIT,
                "purges to be taken again",
                () -> a.admin()
                                .post("/purge", "{\"urls\":[\"/alice/hello\"],\"wait\":\"all\"}")
                                .statusCode()
                        == 200);
        origin.stubFor(get(urlEqualTo("/alice/hello")).willReturn(ok("after redis came back")));
        for (ClusterTestNode n : nodes)
            assertThat(n.read("/alice/hello").body()).as(n.id).isEqualTo("after redis came back");
        assertThat(Http.get(a.process.adminPort, "/readyz").body()).contains("\"cluster\":\"ok\"");
    }

    @Test
    void aNodeWhosePositionWasTrimmedAwaySoftPurgesEverythingBeforeItServes() throws Exception {
        List<ClusterTestNode> nodes = nodes("edge-a", "edge-c");
        ClusterTestNode a = nodes.get(0);
        ClusterTestNode c = nodes.get(1);
        assertThat(c.cacheStatus("/alice/kept")).satisfiesAnyOf(MISS, PEER);
        c.process.kill9();
        assertThat(a.admin().post("/purge", "{\"urls\":[\"/alice/elsewhere\"]}").statusCode())
                .isEqualTo(200);
        assertThat(redis.command("XTRIM", "edge:log", "MAXLEN", "0")).isEqualTo(":1");

        c.start();
        assertThat(c.process.output()).contains("cluster.log-gap node=edge-c").contains("soft-purged-everything");
        c.read("/alice/kept"); // stale now: served while one refresh runs
        Await.until(
                WAIT,
                "the soft-purged page to be revalidated with the origin",
                () -> origin.countRequestsMatching(getRequestedFor(urlEqualTo("/alice/kept"))
                                        .build())
                                .getCount()
                        == 2);
    }

    @Test
    void aDeployThroughOneNodeGoesLiveOnEveryNodeAndARollbackThroughAnotherToo() throws Exception {
        List<ClusterTestNode> nodes = threeNodes();
        origin.stubFor(get("/alice/hello").willReturn(ok("v1 hello")));
        for (ClusterTestNode n : nodes)
            assertThat(n.read("/alice/hello").body()).isEqualTo("v1 hello");

        origin.stubFor(get("/alice/hello").willReturn(ok("v2 hello")));
        ClusterTestNode b = nodes.get(1);
        HttpResponse<String> created = b.admin().post("/deploys", "{\"id\":\"v2\",\"critical\":[\"/alice/hello\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        Await.until(WAIT, "v2 active on edge-b", () -> b.deployState("v2").equals("active"));
        for (ClusterTestNode n : nodes) {
            Await.until(
                    WAIT,
                    "v2 active on " + n.id,
                    () -> n.admin().getJson("/deploys").toString().contains("\"id\":\"v2\",\"state\":\"active\""));
            assertThat(n.read("/alice/hello").body()).as(n.id).isEqualTo("v2 hello");
        }
        JsonNode cluster = b.admin().getJson("/cluster");
        for (JsonNode m : cluster.get("members"))
            assertThat(m.get("deploy").asText()).isEqualTo("v2");

        origin.resetRequests();
        ClusterTestNode c = nodes.get(2);
        HttpResponse<String> rollback = c.admin().post("/deploys/initial/activate", "");
        assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(200);
        for (ClusterTestNode n : nodes) {
            Await.until(
                    WAIT,
                    "initial active again on " + n.id,
                    () -> n.admin().getJson("/deploys").toString().contains("\"id\":\"initial\",\"state\":\"active\""));
            HttpResponse<String> back = n.read("/alice/hello");
            assertThat(back.body()).as(n.id).isEqualTo("v1 hello");
            assertThat(back.headers().firstValue("Cache-Status")).as(n.id).contains("edge; hit");
        }
        origin.verify(0, getRequestedFor(urlEqualTo("/alice/hello")));
    }
}
