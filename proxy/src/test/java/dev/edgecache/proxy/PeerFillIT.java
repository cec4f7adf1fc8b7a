package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.cluster.Rendezvous;
import dev.edgecache.proxy.testing.Admin;
import dev.edgecache.proxy.testing.ClusterTestNode;
import dev.edgecache.proxy.testing.EdgeProcess;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.RedisServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, peer fill with real processes (a redis-server, three built edge jars, a WireMock origin): concurrent
 * cold misses on every node make one origin request in total, and a node that dies takes no reader down with it.
 */
class PeerFillIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<String> IDS = List.of("edge-a", "edge-b", "edge-c");

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    Path dir;

    private RedisServer redis;
    /** {@code cluster.peer.timeout} of the nodes a test starts. */
    private String peerTimeout = "10s";

    private final List<EdgeProcess> running = new ArrayList<>();

    private ClusterTestNode node(String id) throws IOException {
        return new ClusterTestNode(dir, id, origin.getPort(), redis.uri(), "10s", peerTimeout, running).start();
    }

    @BeforeEach
    void startRedis() throws IOException {
        redis = RedisServer.start(dir.resolve("redis"));
        origin.stubFor(get(urlPathMatching("/alice/.*")).willReturn(ok("page").withFixedDelay(300)));
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (EdgeProcess p : running) p.close();
        if (redis != null) redis.stop();
    }

    private List<ClusterTestNode> threeNodes() throws IOException {
        List<ClusterTestNode> nodes = new ArrayList<>();
        for (String id : IDS) nodes.add(node(id));
        for (ClusterTestNode n : nodes) n.awaitPeers(IDS, WAIT);
        return nodes;
    }

    private static String ownerOf(List<String> members, String path) {
        return Rendezvous.owner(members, path.getBytes(StandardCharsets.UTF_8)).orElseThrow();
    }

    /** The first {@code /alice/kN} path that {@code owner} owns among {@code members}. */
    private static String pathOwnedBy(String owner, List<String> members, int from) {
        for (int i = from; ; i++) if (ownerOf(members, "/alice/k" + i).equals(owner)) return "/alice/k" + i;
    }

    @Test
    void concurrentColdMissesOnEveryNodeMakeOneOriginRequest() throws Exception {
        List<ClusterTestNode> nodes = threeNodes();
        String path = "/alice/cold";
        String owner = ownerOf(IDS, path);
        int perNode = 30;
        ExecutorService readers = Executors.newFixedThreadPool(nodes.size() * perNode);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            List<String> askedOn = new ArrayList<>();
            for (ClusterTestNode n : nodes) {
                for (int i = 0; i < perNode; i++) {
                    askedOn.add(n.id);
                    answers.add(readers.submit(() -> {
                        go.await();
                        return n.read(path);
                    }));
                }
            }
            go.countDown();
            List<String> peerFilled = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++) {
                HttpResponse<String> r = answers.get(i).get(60, TimeUnit.SECONDS);
                assertThat(r.statusCode())
                        .as("answer %d on %s", i, askedOn.get(i))
                        .isEqualTo(200);
                assertThat(r.body()).isEqualTo("page");
                String status = r.headers().firstValue("Cache-Status").orElse("");
                if (status.contains("fwd=peer")) {
                    assertThat(status).isEqualTo("edge; fwd=peer; detail=" + owner + "; stored");
                    peerFilled.add(askedOn.get(i));
                }
            }
            origin.verify(1, getRequestedFor(urlEqualTo(path)));
            List<String> others = IDS.stream().filter(id -> !id.equals(owner)).toList();
            assertThat(peerFilled)
                    .as("the owner renders, the others ask it")
                    .doesNotContain(owner)
                    .containsAll(others);
            for (ClusterTestNode n : nodes) {
                assertThat(n.read(path).headers().firstValue("Cache-Status"))
                        .as("%s stored its own copy", n.id)
                        .contains("edge; hit");
            }
            origin.verify(1, getRequestedFor(urlEqualTo(path)));
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    void thePeerPortWantsTheClusterToken() throws IOException {
        List<ClusterTestNode> nodes = threeNodes();
        String peer = new Admin(nodes.get(0).process.adminPort)
                .getJson("/cluster")
                .get("members")
                .get(0)
                .get("peer")
                .asText();
        int port = Integer.parseInt(peer.substring(peer.lastIndexOf(':') + 1));
        String ask = "/peer/page?deploy=initial&key=%2Falice%2Fsecret";
        assertThat(Http.get(port, ask).statusCode()).isEqualTo(401);
        assertThat(Http.get(port, ask, "Authorization", "Bearer wrong-secret").statusCode())
                .isEqualTo(401);
        HttpResponse<String> answered = Http.get(port, ask, "Authorization", "Bearer peer-secret");
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.headers().firstValue("Content-Type")).contains("application/octet-stream");
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/secret")));
    }

    @Test
    void keysOfAKilledNodeAreServedFromTheOriginWithNoReaderError() throws Exception {
        List<ClusterTestNode> nodes = threeNodes();
        ClusterTestNode a = nodes.get(0);
        ClusterTestNode b = nodes.get(1);
        ClusterTestNode c = nodes.get(2);
        c.process.kill9();

        // c's heartbeat has not expired yet: a and b still ask c, which refuses the connection
        String whileListed = pathOwnedBy("edge-c", IDS, 0);
        for (ClusterTestNode n : List.of(a, b)) {
            HttpResponse<String> r = n.read(whileListed);
            assertThat(r.statusCode()).as(n.id).isEqualTo(200);
            assertThat(r.body()).isEqualTo("page");
            assertThat(r.headers().firstValue("Cache-Status")).as(n.id).contains("edge; fwd=miss; stored");
        }
        origin.verify(2, getRequestedFor(urlEqualTo(whileListed)));

        // once it has expired, c's keys have new owners among a and b: one render for both again
        List<String> left = List.of("edge-a", "edge-b");
        a.awaitPeers(left, WAIT);
        b.awaitPeers(left, WAIT);
        String afterwards =
                pathOwnedBy("edge-c", IDS, Integer.parseInt(whileListed.substring("/alice/k".length())) + 1);
        String newOwner = ownerOf(left, afterwards);
        for (ClusterTestNode n : List.of(a, b)) {
            HttpResponse<String> r = n.read(afterwards);
            assertThat(r.statusCode()).as(n.id).isEqualTo(200);
            assertThat(r.body()).isEqualTo("page");
        }
        origin.verify(1, getRequestedFor(urlEqualTo(afterwards)));
        ClusterTestNode other = newOwner.equals("edge-a") ? b : a;
        assertThat(other.read(afterwards).headers().firstValue("Cache-Status")).contains("edge; hit");
    }

    @Test
    void aSlowOwnerIsWaitedForOnlyThePeerTimeoutThenTheOriginAnswers() throws Exception {
        peerTimeout = "1s";
        List<ClusterTestNode> nodes = threeNodes();
        ClusterTestNode a = nodes.get(0);
        ClusterTestNode c = nodes.get(2);
        String path = pathOwnedBy("edge-c", IDS, 0);
        signal("STOP", c.process.pid()); // accepts connections (the kernel does), answers nothing
        HttpResponse<String> r;
        long tookMs;
        try {
            long start = System.nanoTime();
            r = a.read(path);
            tookMs = (System.nanoTime() - start) / 1_000_000;
        } finally {
            signal("CONT", c.process.pid());
        }
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("page");
        assertThat(r.headers().firstValue("Cache-Status")).contains("edge; fwd=miss; stored");
        assertThat(tookMs).as("waited for the owner first").isGreaterThanOrEqualTo(1_000);
        origin.verify(1, getRequestedFor(urlEqualTo(path)));
    }

    private static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -%s %d", name, pid).isZero();
    }
}
