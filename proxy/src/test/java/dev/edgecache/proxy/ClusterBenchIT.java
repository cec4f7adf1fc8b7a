package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.google.errorprone.annotations.FormatMethod;
import com.google.errorprone.annotations.FormatString;
import dev.edgecache.proxy.testing.Admin;
import dev.edgecache.proxy.testing.Await;
import dev.edgecache.proxy.testing.EdgeProcess;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.RedisServer;
import dev.edgecache.proxy.testing.TestEdge;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, "Speed": what the cluster costs, measured with real processes on loopback (a redis-server, the built edge
 * jar, a WireMock origin). Not part of the default build: it runs alone with {@code -Pbench-cluster}; each method
 * prints one summary block and writes it to {@code target/cluster-bench-<method>.txt}; the figures go to
 * {@code bench/RESULTS.md} by hand. One method can be run alone with {@code -Dit.test='ClusterBenchIT#tagPurge'}.
 *
 * <ol>
 *   <li>{@link #purgePropagation}: {@value #PURGE_ROUNDS} rounds of {@value #URL_PURGES} single-URL purges on node A,
 *       each timed from A's answer (no {@code "wait"}) until every node's {@code GET /keys/info} says 404; then as many
 *       with {@code "wait":"all"}, timed to the answer.
 *   <li>{@link #tagPurge}: {@value #TAG_ROUNDS} rounds of one tag purge of {@value #TAGGED_PAGES} pages stored on all
 *       three nodes, with {@code "wait":"all"}.
 *   <li>{@link #peerFillMissLatency}: cold misses on node B with an origin that takes {@value #ORIGIN_DELAY_MS} ms;
 *       those whose owner is another node (served via the peer) against those B owns (straight to the origin), in
 *       the same rounds, interleaved as the keys fall.
 *   <li>{@link #hitThroughput}: a fresh node with {@code cluster:} against a fresh node without, same pages, same
 *       wrk load, {@value #ROUNDS} alternating rounds.
 * </ol>
 *
 * <p>It fails when a page is not stored where it should be, when a purge leaves a page on any node past its bound,
 * or when the load gets errors; the speed targets are printed (met or not), not asserted, because the box is
 * shared and a failure there would say more about the neighbours than about the code. Every figure is a median of
 * rounds taken in one run, side by side. Every loop is bounded in count and time.
 */
class ClusterBenchIT {
    static final int URL_PURGES = 100;
    static final int PURGE_ROUNDS = 3;
    static final int TAGGED_PAGES = 10_000;
    static final int TAG_ROUNDS = 3;
    static final int FILL_CLIENTS = 6;
    static final int COLD_MISSES = 150;
    static final int MISS_ROUNDS = 3;
    static final int ORIGIN_DELAY_MS = 10;
    static final int HOT_PAGES = 100;
    static final int ROUNDS = 5;
    static final Duration ROUND = Duration.ofSeconds(10);
    static final Duration WARM_UP = Duration.ofSeconds(10);
    static final int CONNECTIONS = 16;
    static final Duration GONE_WITHIN = Duration.ofSeconds(2);
    /** {@code getconf CLK_TCK} on Linux x86_64. */
    static final long TICKS_PER_SECOND = 100;

    static final String BODY = "<p>" + "x".repeat(500) + "</p>";

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    Path dir;

    private RedisServer redis;
    private final List<EdgeProcess> running = new ArrayList<>();
    private final StringBuilder summary = new StringBuilder();

    @BeforeEach
    void stubAndRedis() throws IOException {
        origin.stubFor(get(urlPathMatching("/[a-z]+/.*"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Cache-Tag", "other")
                        .withBody(BODY)));
        for (int r = 0; r < TAG_ROUNDS; r++) {
            origin.stubFor(get(urlPathMatching("/t" + r + "/.*"))
                    .willReturn(aResponse()
                            .withStatus(200)
                            .withHeader("Cache-Tag", "round" + r)
                            .withBody(BODY)));
        }
        origin.stubFor(get(urlPathMatching("/p/.*"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withFixedDelay(ORIGIN_DELAY_MS)
                        .withBody(BODY)));
        redis = RedisServer.start(dir.resolve("redis"));
    }

    @AfterEach
    void stopAll(TestInfo test) throws Exception {
        for (EdgeProcess p : running) p.close();
        if (redis != null) redis.stop();
        String name = test.getTestMethod().map(m -> m.getName()).orElse("unknown");
        String text = summary.toString();
        System.out.println("\n==== ClusterBenchIT." + name + " ====\n" + text + "================================");
        Files.writeString(Path.of("target/cluster-bench-" + name + ".txt"), text);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void purgePropagation() throws Exception {
        List<EdgeProcess> nodes = threeNodes();
        Admin adminA = new Admin(nodes.get(0).adminPort);
        fill(nodes, "u", 2 * URL_PURGES * PURGE_ROUNDS);
        line(
                "1. purge propagation, %d rounds of %d single-URL purges on A, 3 nodes (target p99 < 50 ms):",
                PURGE_ROUNDS, URL_PURGES);
        long[] p50 = new long[PURGE_ROUNDS];
        long[] p99 = new long[PURGE_ROUNDS];
        long[] waitP50 = new long[PURGE_ROUNDS];
        long[] waitP99 = new long[PURGE_ROUNDS];
        int next = 0;
        for (int round = 0; round < PURGE_ROUNDS; round++) {
            long[] propagation = new long[URL_PURGES];
            long[] answer = new long[URL_PURGES];
            long[] waitAll = new long[URL_PURGES];
            long[] floor = new long[URL_PURGES];
            for (int i = 0; i < URL_PURGES; i++) {
                String url = "/u/" + next++;
                for (EdgeProcess n : nodes)
                    assertThat(info(n, url)).as("stored before the purge").isEqualTo(200);
                long sent = System.nanoTime();
                HttpResponse<String> r = adminA.post("/purge", "{\"urls\":[\"" + url + "\"]}");
                long answered = System.nanoTime();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(Admin.json(r).get("purged").asInt()).isEqualTo(1);
                answer[i] = answered - sent;
                propagation[i] = allGoneAt(nodes, url, answered) - answered;
                long sweep = System.nanoTime(); // what one look at every node costs: the measurement's own floor
                for (EdgeProcess n : nodes) info(n, url);
                floor[i] = System.nanoTime() - sweep;
            }
            for (int i = 0; i < URL_PURGES; i++) {
                String url = "/u/" + next++;
                long sent = System.nanoTime();
                HttpResponse<String> r = adminA.post("/purge", "{\"urls\":[\"" + url + "\"],\"wait\":\"all\"}");
                waitAll[i] = System.nanoTime() - sent;
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                for (EdgeProcess n : nodes)
                    assertThat(info(n, url)).as("gone once wait:all answered").isEqualTo(404);
            }
            p50[round] = percentile(propagation, 50);
            p99[round] = percentile(propagation, 99);
            waitP50[round] = percentile(waitAll, 50);
            waitP99[round] = percentile(waitAll, 99);
            line("   round %d: answer to every node missing (no wait): %s", round + 1, stats(propagation));
            line("            POST /purge answer itself (no wait):    %s", stats(answer));
            line("            one look at all 3 nodes (floor):         %s", stats(floor));
            line("            POST /purge \"wait\":\"all\" answer:       %s", stats(waitAll));
        }
        long[] inNodes = appliedEverywhere(nodes);
        assertThat(inNodes.length)
                .as("purge entries applied on all 3 nodes, from their logs")
                .isGreaterThan(0);
        line(
                "   from the nodes' own logs, Redis XADD to applied on all 3 nodes (%d entries, ms resolution): %s",
                inNodes.length, stats(inNodes));
        line(
                "   medians of rounds: propagation p50 %.1f ms, p99 %.1f ms; \"wait\":\"all\" p50 %.1f ms, p99 %.1f ms",
                millis(median(p50)), millis(median(p99)), millis(median(waitP50)), millis(median(waitP99)));
        line("   p99 target met: %s; %s", median(p99) < ms(50) ? "yes" : "NO", machine());
    }

    @Test
    @Timeout(value = 9, unit = TimeUnit.MINUTES)
    void tagPurge() throws Exception {
        List<EdgeProcess> nodes = threeNodes();
        Admin adminA = new Admin(nodes.get(0).adminPort);
        line(
                "2. tag purge of %,d pages stored on each of 3 nodes, \"wait\":\"all\" on A, %d rounds (target < 300 ms):",
                TAGGED_PAGES, TAG_ROUNDS);
        long[] answers = new long[TAG_ROUNDS];
        long[] gone = new long[TAG_ROUNDS];
        long[] nodeCpu = new long[TAG_ROUNDS];
        for (int round = 0; round < TAG_ROUNDS; round++) {
            String prefix = "t" + round;
            long fillNanos = fill(nodes, prefix, TAGGED_PAGES);
            for (EdgeProcess n : nodes) {
                JsonNode keys = new Admin(n.adminPort).getJson("/keys?prefix=/" + prefix + "/&limit=" + TAGGED_PAGES);
                assertThat(keys.get("keys").size()).as("tagged pages stored").isEqualTo(TAGGED_PAGES);
            }
            String loadBefore = loadAverage();
            long[] ticks = new long[nodes.size()];
            for (int i = 0; i < ticks.length; i++) ticks[i] = cpuTicks(nodes.get(i));
            long sent = System.nanoTime();
            HttpResponse<String> r = adminA.post("/purge", "{\"tags\":[\"round" + round + "\"],\"wait\":\"all\"}");
            long answered = System.nanoTime();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(Admin.json(r).get("purged").asInt()).isEqualTo(TAGGED_PAGES);
            long lastGone = answered;
            Instant deadline = Instant.now().plusSeconds(10);
            for (EdgeProcess n : nodes) {
                Admin admin = new Admin(n.adminPort);
                while (admin.getJson("/keys?prefix=/" + prefix + "/&limit=1")
                                .get("keys")
                                .size()
                        > 0) {
                    assertThat(Instant.now())
                            .as("tagged pages gone within 10 s")
                            .isBefore(deadline);
                }
                lastGone = Math.max(lastGone, System.nanoTime());
            }
            answers[round] = answered - sent;
            gone[round] = lastGone - sent;
            StringBuilder cpu = new StringBuilder();
            for (int i = 0; i < ticks.length; i++) {
                long ms = (cpuTicks(nodes.get(i)) - ticks[i]) * 1000 / TICKS_PER_SECOND;
                cpu.append(cpu.isEmpty() ? "" : " + ").append(ms);
                nodeCpu[round] += ms;
            }
            line(
                    "   round %d: fill %,d requests (3 x %,d) by %d keep-alive clients in %.1f s; load average %s",
                    round + 1, 3 * TAGGED_PAGES, TAGGED_PAGES, FILL_CLIENTS, fillNanos / 1e9, loadBefore);
            line(
                    "            answer %.1f ms; all 3 nodes show no key %.1f ms after the request was sent;"
                            + " CPU of the nodes meanwhile %s = %d ms (10 ms ticks)",
                    millis(answers[round]), millis(gone[round]), cpu, nodeCpu[round]);
        }
        line(
                "   medians of rounds: answer %.1f ms, all gone %.1f ms, CPU of the 3 nodes %d ms (target met: %s); %s",
                millis(median(answers)),
                millis(median(gone)),
                median(nodeCpu),
                median(gone) < ms(300) ? "yes" : "NO",
                machine());
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void peerFillMissLatency() throws Exception {
        List<EdgeProcess> nodes = threeNodes();
        EdgeProcess b = nodes.get(1);
        Await.until(
                Duration.ofSeconds(5),
                "B routes misses to its peers", // PeerFill reads the members once a second
                () -> {
                    try (KeepAlive k = new KeepAlive(b.port)) {
                        for (int i = 0; i < 20; i++) {
                            if (k.get("/probe/" + i + "-" + System.nanoTime())
                                    .cacheStatus
                                    .contains("fwd=peer")) return true;
                        }
                        return false;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
        line(
                "3. cold-miss latency on B, origin delay %d ms, %d rounds of %d cold URLs (owner elsewhere: via the"
                        + " peer; owner B: straight to the origin):",
                ORIGIN_DELAY_MS, MISS_ROUNDS, COLD_MISSES);
        double[] peerP50 = new double[MISS_ROUNDS];
        double[] peerP99 = new double[MISS_ROUNDS];
        double[] directP50 = new double[MISS_ROUNDS];
        double[] directP99 = new double[MISS_ROUNDS];
        int next = 0;
        try (KeepAlive k = new KeepAlive(b.port)) {
            for (int i = 0; i < 50; i++) k.get("/w/" + i); // warm the miss paths (JIT) on every node
            for (int round = 0; round < MISS_ROUNDS; round++) {
                List<Long> peer = new ArrayList<>();
                List<Long> direct = new ArrayList<>();
                for (int i = 0; i < COLD_MISSES; i++) {
                    long sent = System.nanoTime();
                    Reply reply = k.get("/p/" + next++);
                    long took = System.nanoTime() - sent;
                    assertThat(reply.status).isEqualTo(200);
                    if (reply.cacheStatus.contains("fwd=peer")) peer.add(took);
                    else if (reply.cacheStatus.contains("fwd=miss; stored")) direct.add(took);
                    else throw new AssertionError("not a cold miss: " + reply.cacheStatus);
                }
                long[] p = peer.stream().mapToLong(Long::longValue).toArray();
                long[] d = direct.stream().mapToLong(Long::longValue).toArray();
                assertThat(p).as("some keys owned elsewhere").isNotEmpty();
                assertThat(d).as("some keys owned by B").isNotEmpty();
                peerP50[round] = millis(percentile(p, 50));
                peerP99[round] = millis(percentile(p, 99));
                directP50[round] = millis(percentile(d, 50));
                directP99[round] = millis(percentile(d, 99));
                line("   round %d: via the peer (%3d): %s", round + 1, p.length, stats(p));
                line("            origin direct (%3d): %s", d.length, stats(d));
            }
        }
        line(
                "   medians of rounds: via the peer p50 %.1f ms, p99 %.1f ms; origin direct p50 %.1f ms, p99 %.1f ms;"
                        + " p50 cost of the peer hop %.1f ms; %s",
                median(peerP50),
                median(peerP99),
                median(directP50),
                median(directP99),
                median(peerP50) - median(directP50),
                machine());
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void hitThroughput() throws Exception {
        EdgeProcess clustered = start("edge-a", true);
        EdgeProcess plain = start("edge-plain", false);
        Admin adminA = new Admin(clustered.adminPort);
        Await.until(
                Duration.ofSeconds(15),
                "the clustered node joined",
                () -> adminA.getJson("/cluster").get("members").size() == 1);
        fill(List.of(clustered, plain), "h", HOT_PAGES);
        for (EdgeProcess n : List.of(clustered, plain)) {
            try (KeepAlive k = new KeepAlive(n.port)) {
                for (int i = 0; i < HOT_PAGES; i++)
                    assertThat(k.get("/h/" + i).cacheStatus).as("warm").contains("edge; hit");
            }
        }
        Path script = dir.resolve("pages.lua");
        Files.writeString(script, """
                local i = 0
                request = function()
                  i = (i + 1) %% %d
                  return wrk.format("GET", "/h/" .. i)
                end
                """.formatted(HOT_PAGES));
        String loadBefore = loadAverage();
        load(clustered.port, script, WARM_UP);
        load(plain.port, script, WARM_UP);
        double[] withCluster = new double[ROUNDS];
        double[] without = new double[ROUNDS];
        double[] ratios = new double[ROUNDS];
        double[] cpuWith = new double[ROUNDS];
        double[] cpuWithout = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            // alternate who goes first, so a drift in the neighbours' load hits both sides alike
            for (int side = 0; side < 2; side++) {
                boolean clusteredTurn = (side == 0) == (round % 2 == 0);
                EdgeProcess n = clusteredTurn ? clustered : plain;
                long ticks = cpuTicks(n);
                double rate = load(n.port, script, ROUND);
                double cpuMicrosPerRequest =
                        (cpuTicks(n) - ticks) * 1e6 / TICKS_PER_SECOND / (rate * ROUND.toSeconds());
                if (clusteredTurn) {
                    withCluster[round] = rate;
                    cpuWith[round] = cpuMicrosPerRequest;
                } else {
                    without[round] = rate;
                    cpuWithout[round] = cpuMicrosPerRequest;
                }
            }
            ratios[round] = withCluster[round] / without[round];
        }
        double ratio = median(withCluster) / median(without);
        line(
                "4. hit throughput, two fresh nodes, %d pages, wrk -t1 -c%d, %d alternating rounds of %d s each"
                        + " (target ratio >= 0.97):",
                HOT_PAGES, CONNECTIONS, ROUNDS, ROUND.toSeconds());
        line("   with cluster:    %s req/s, median %,.0f", rounds(withCluster), median(withCluster));
        line("   without cluster: %s req/s, median %,.0f", rounds(without), median(without));
        line("   per-round ratios: %s", ratios(ratios));
        line(
                "   node CPU per request (utime+stime): with cluster %s us, median %.1f; without %s us, median %.1f;"
                        + " without/with %.3f",
                ratios(cpuWith),
                median(cpuWith),
                ratios(cpuWithout),
                median(cpuWithout),
                median(cpuWithout) / median(cpuWith));
        line(
                "   ratio of medians %.3f, median of per-round ratios %.3f (target met: %s)",
                ratio, median(ratios), ratio >= 0.97 ? "yes" : "NO");
        line("   load average before the rounds %s, after %s; %s", loadBefore, loadAverage(), machine());
    }

    /** Nodes A, B, C in one cluster, each seeing all three members. */
    private List<EdgeProcess> threeNodes() throws Exception {
        List<EdgeProcess> nodes = List.of(start("edge-a", true), start("edge-b", true), start("edge-c", true));
        for (EdgeProcess n : nodes) {
            Admin admin = new Admin(n.adminPort);
            Await.until(
                    Duration.ofSeconds(15),
                    "three members",
                    () -> admin.getJson("/cluster").get("members").size() == 3);
        }
        return nodes;
    }

    /** One wrk run; req/s. Fails on socket errors or non-2xx answers. */
    private double load(int port, Path script, Duration length) throws Exception {
        assertThat(Path.of("/usr/bin/wrk"))
                .as("wrk drives the throughput rounds (apt-get install wrk)")
                .isExecutable();
        Process p = new ProcessBuilder(
                        "wrk",
                        "-t1",
                        "-c" + CONNECTIONS,
                        "-d" + length.toSeconds() + "s",
                        "-s",
                        script.toString(),
                        "http://127.0.0.1:" + port)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(length.toSeconds() + 30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out)
                .as("no errors under load")
                .doesNotContain("Socket errors")
                .doesNotContain("Non-2xx");
        Matcher m = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /**
     * Stores {@code /prefix/0 .. count-1} on every node with {@value #FILL_CLIENTS} keep-alive clients; the time taken.
     */
    private long fill(List<EdgeProcess> nodes, String prefix, int count) throws Exception {
        AtomicInteger next = new AtomicInteger();
        int total = count * nodes.size();
        LongAdder stored = new LongAdder();
        ExecutorService pool = Executors.newFixedThreadPool(FILL_CLIENTS);
        long start = System.nanoTime();
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int t = 0; t < FILL_CLIENTS; t++) {
                clients.add(pool.submit(() -> {
                    List<KeepAlive> connections = new ArrayList<>();
                    try {
                        for (EdgeProcess n : nodes) connections.add(new KeepAlive(n.port));
                        for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                            Reply reply = connections.get(i % nodes.size()).get("/" + prefix + "/" + i / nodes.size());
                            // with peer fill, the owner may already hold the page, or be rendering it for a peer
                            // (collapsed); whether every node stored it is checked by the parts themselves
                            if (reply.status != 200
                                    || !(reply.cacheStatus.contains("stored")
                                            || reply.cacheStatus.contains("hit")
                                            || reply.cacheStatus.contains("collapsed")))
                                throw new AssertionError("not stored: " + reply.status + " " + reply.cacheStatus);
                            stored.increment();
                        }
                    } finally {
                        for (KeepAlive k : connections) k.close();
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) f.get(3, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        assertThat(stored.sum()).isEqualTo(total);
        return System.nanoTime() - start;
    }

    /**
     * Polls {@code GET /keys/info} on every node still holding {@code url}, about every millisecond, until each says
     * 404; when the last one did. Fails past {@link #GONE_WITHIN}.
     */
    private static long allGoneAt(List<EdgeProcess> nodes, String url, long since) throws InterruptedException {
        List<EdgeProcess> holding = new ArrayList<>(nodes);
        long last = since;
        while (true) {
            for (java.util.Iterator<EdgeProcess> it = holding.iterator(); it.hasNext(); ) {
                if (info(it.next(), url) == 404) {
                    it.remove();
                    last = System.nanoTime();
                }
            }
            if (holding.isEmpty()) return last;
            if (System.nanoTime() - since > GONE_WITHIN.toNanos())
                throw new AssertionError(
                        url + " still stored on " + holding.size() + " node(s) " + GONE_WITHIN + " after the purge");
            Thread.sleep(1); // polling interval of the measurement, not a race
        }
    }

    private static int info(EdgeProcess n, String url) {
        return new Admin(n.adminPort)
                .get("/keys/info?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8))
                .statusCode();
    }

    /** Starts a node; once more (fresh store) if the first did not come up in time on a saturated box. */
    private EdgeProcess start(String id, boolean clustered) throws IOException {
        try {
            return start(id, clustered, id + "-store");
        } catch (IllegalStateException slow) {
            if (!String.valueOf(slow.getMessage()).contains("did not come up")) throw slow;
            line("   (%s did not come up in 30 s, load average %s: started again)", id, loadAverage());
            return start(id, clustered, id + "-store-2");
        }
    }

    private EdgeProcess start(String id, boolean clustered, String store) throws IOException {
        Path config = dir.resolve(id + ".yaml");
        String cluster = clustered ? """
                cluster:
                  node-id: %s
                  redis: %s
                  token: peer-secret
                  peer:
                    listen: 127.0.0.1:0
                """.formatted(id, redis.uri()) : "";
        Files.writeString(config, """
                listen: 127.0.0.1:0
                origin:
                  url: http://127.0.0.1:%d
                  timeout: 5s
                store:
                  path: %s
                  memory: 64MiB
                admin:
                  listen: 127.0.0.1:0
                  token: %s
                routes:
                  - {match: "/{dir}/{page}", mode: persistent}
                """.formatted(origin.getPort(), dir.resolve(store), TestEdge.TOKEN) + cluster);
        List<String> jvm = clustered ? List.of("-Dlogback.configurationFile=" + debugLogConfig()) : List.of();
        EdgeProcess p = EdgeProcess.start(config, dir.resolve(id + ".log"), jvm);
        running.add(p);
        return p;
    }

    @FormatMethod
    private void line(@FormatString String format, Object... args) {
        summary.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static long percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static String stats(long[] nanos) {
        return String.format(
                Locale.ROOT,
                "p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                millis(percentile(nanos, 50)),
                millis(percentile(nanos, 99)),
                millis(percentile(nanos, 100)));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * The jar's logging with {@code ClusterNode} at DEBUG: its {@code cluster.purge ... id=<ms>-<n>} line per applied
     * entry tells when each node applied it, against the Redis time in the entry's id.
     */
    private Path debugLogConfig() throws IOException {
        Path file = dir.resolve("logback-bench.xml");
        if (!Files.exists(file)) {
            Files.writeString(file, """
                    <configuration>
                      <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} %msg%n</pattern></encoder>
                      </appender>
                      <logger name="edge.access" level="OFF"/>
                      <logger name="io.netty" level="WARN"/>
                      <logger name="org.rocksdb" level="WARN"/>
                      <logger name="dev.edgecache.proxy.cluster.ClusterNode" level="DEBUG"/>
                      <root level="INFO"><appender-ref ref="STDOUT"/></root>
                    </configuration>
                    """);
        }
        return file;
    }

    private static final Pattern APPLIED_LINE = Pattern.compile(
            "^(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3}) DEBUG .*cluster\\.purge node=\\S+ id=((\\d+)-\\d+)",
            Pattern.MULTILINE);

    /**
     * From the nodes' logs: for every purge entry applied by all of them, the time (in nanoseconds, at millisecond
     * resolution) from Redis's XADD (the entry id) until the last node applied it (its log line). Both clocks are
     * this machine's; the log's times are the JVM's zone, UTC here.
     */
    private static long[] appliedEverywhere(List<EdgeProcess> nodes) {
        java.util.Map<String, Long> latest = new java.util.HashMap<>();
        java.util.Map<String, Integer> count = new java.util.HashMap<>();
        for (EdgeProcess n : nodes) {
            Matcher m = APPLIED_LINE.matcher(n.output());
            while (m.find()) {
                long logMs = ((Long.parseLong(m.group(1)) * 60 + Long.parseLong(m.group(2))) * 60
                                        + Long.parseLong(m.group(3)))
                                * 1000
                        + Long.parseLong(m.group(4));
                long idMs = Long.parseLong(m.group(6));
                long lagMs = Math.floorMod(logMs - idMs, 86_400_000L);
                latest.merge(m.group(5), lagMs, Math::max);
                count.merge(m.group(5), 1, Integer::sum);
            }
        }
        return latest.entrySet().stream()
                .filter(e -> count.get(e.getKey()) == nodes.size())
                .mapToLong(e -> TimeUnit.MILLISECONDS.toNanos(e.getValue()))
                .toArray();
    }

    /** utime + stime of a node's process so far, in clock ticks ({@code /proc/PID/stat} fields 14 and 15). */
    private static long cpuTicks(EdgeProcess n) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + n.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // f[0] is field 3 (state)
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static String ratios(double[] values) {
        StringBuilder s = new StringBuilder();
        for (double v : values) s.append(s.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", v));
        return s.toString();
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String machine() {
        return "nproc " + Runtime.getRuntime().availableProcessors() + ", load average now " + loadAverage();
    }

    private static String rounds(double[] values) {
        StringBuilder s = new StringBuilder();
        for (double v : values) s.append(s.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f", v));
        return s.toString();
    }

    /** What the fill needs from an answer. */
    private record Reply(int status, String cacheStatus) {}

    /** A minimal HTTP/1.1 keep-alive client (Content-Length bodies only): cheap enough to fill 30,000 pages. */
    private static final class KeepAlive implements AutoCloseable {
        private final Socket socket = new Socket();
        private final OutputStream out;
        private final InputStream in;

        KeepAlive(int port) throws IOException {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }

        Reply get(String path) throws IOException {
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = readLine();
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            long length = -1;
            String cacheStatus = "";
            for (String h = readLine(); !h.isEmpty(); h = readLine()) {
                int colon = h.indexOf(':');
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                if (name.equals("content-length")) length = Long.parseLong(value);
                if (name.equals("cache-status")) cacheStatus = value;
            }
            if (length < 0) throw new IOException("no Content-Length in the answer to " + path);
            in.skipNBytes(length);
            return new Reply(status, cacheStatus);
        }

        private String readLine() throws IOException {
            StringBuilder s = new StringBuilder();
            for (int ch = in.read(); ch != '\n'; ch = in.read()) {
                if (ch < 0) throw new IOException("connection closed mid-answer");
                if (ch != '\r') s.append((char) ch);
            }
            return s.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a loopback test connection: nothing to do
            }
        }
    }
}
