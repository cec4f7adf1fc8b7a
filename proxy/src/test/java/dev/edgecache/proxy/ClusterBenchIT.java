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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, "Speed": what the cluster costs, measured with real processes on loopback (a redis-server, the built edge
 * jar three times plus once without {@code cluster:}, a WireMock origin). Not part of the default build: it runs
 * alone with {@code -Pbench-cluster} and prints one summary block (also written to
 * {@code target/cluster-bench.txt}); the figures go to {@code bench/RESULTS.md} by hand.
 *
 * <ol>
 *   <li>Purge propagation: {@value #URL_PURGES} single-URL purges on node A, each timed from A's answer (no
 *       {@code "wait"}) until every node's {@code GET /keys/info} says 404; then as many with {@code "wait":"all"},
 *       timed to the answer.
 *   <li>One tag purge of {@value #TAGGED_PAGES} pages stored on all three nodes, with {@code "wait":"all"}.
 *   <li>Hit throughput of a clustered node against a plain one: same pages, same wrk load, alternating rounds.
 * </ol>
 *
 * <p>It fails when a page is not stored where it should be, when a purge leaves a page on any node past its bound,
 * or when the load gets errors; the speed targets are printed (met or not), not asserted, because the box is
 * shared and a failure there would say more about the neighbours than about the code. Every loop is bounded in
 * count and time.
 */
class ClusterBenchIT {
    static final int URL_PURGES = 100;
    static final int TAGGED_PAGES = 10_000;
    static final int FILL_CLIENTS = 6;
    static final int HOT_PAGES = 100;
    static final int ROUNDS = 3;
    static final Duration ROUND = Duration.ofSeconds(10);
    static final Duration WARM_UP = Duration.ofSeconds(5);
    static final int CONNECTIONS = 16;
    static final Duration GONE_WITHIN = Duration.ofSeconds(2);
    static final String BODY = "<p>" + "x".repeat(500) + "</p>";

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    Path dir;

    private RedisServer redis;
    private final List<EdgeProcess> running = new ArrayList<>();
    private final StringBuilder summary = new StringBuilder();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (EdgeProcess p : running) p.close();
        if (redis != null) redis.stop();
    }

    @Test
    @Timeout(value = 9, unit = TimeUnit.MINUTES)
    void purgePropagationTagPurgeAndHitThroughput() throws Exception {
        origin.stubFor(get(urlPathMatching("/[a-z]+/.*"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Cache-Tag", "bench")
                        .withBody(BODY)));
        redis = RedisServer.start(dir.resolve("redis"));
        EdgeProcess a = start("edge-a", true);
        EdgeProcess b = start("edge-b", true);
        EdgeProcess c = start("edge-c", true);
        List<EdgeProcess> nodes = List.of(a, b, c);
        Admin adminA = new Admin(a.adminPort);
        Await.until(
                Duration.ofSeconds(15),
                "three members",
                () -> adminA.getJson("/cluster").get("members").size() == 3);
        line("machine: nproc=%d, load average at start %s", Runtime.getRuntime().availableProcessors(), loadAverage());

        urlPurges(nodes, adminA);
        tagPurge(nodes, adminA);

        b.terminate(); // idle members only add noise to the throughput rounds
        c.terminate();
        EdgeProcess plain = start("edge-plain", false);
        hitThroughput(a, plain);

        String text = summary.toString();
        System.out.println("\n==== ClusterBenchIT summary ====\n" + text + "================================");
        Files.writeString(Path.of("target/cluster-bench.txt"), text);
    }

    /** Part 1: single-URL purges, without and with {@code "wait":"all"}. */
    private void urlPurges(List<EdgeProcess> nodes, Admin adminA) throws Exception {
        fill(nodes, "u", 2 * URL_PURGES);
        long[] propagation = new long[URL_PURGES];
        long[] answer = new long[URL_PURGES];
        long[] waitAll = new long[URL_PURGES];
        for (int i = 0; i < URL_PURGES; i++) {
            String url = "/u/" + i;
            for (EdgeProcess n : nodes)
                assertThat(info(n, url)).as("stored before the purge").isEqualTo(200);
            long sent = System.nanoTime();
            HttpResponse<String> r = adminA.post("/purge", "{\"urls\":[\"" + url + "\"]}");
            long answered = System.nanoTime();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(Admin.json(r).get("purged").asInt()).isEqualTo(1);
            long lastGone = answered;
            for (EdgeProcess n : nodes) lastGone = Math.max(lastGone, goneAt(n, url, answered));
            answer[i] = answered - sent;
            propagation[i] = lastGone - answered;
        }
        for (int i = 0; i < URL_PURGES; i++) {
            String url = "/u/" + (URL_PURGES + i);
            long sent = System.nanoTime();
            HttpResponse<String> r = adminA.post("/purge", "{\"urls\":[\"" + url + "\"],\"wait\":\"all\"}");
            waitAll[i] = System.nanoTime() - sent;
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            for (EdgeProcess n : nodes)
                assertThat(info(n, url)).as("gone once wait:all answered").isEqualTo(404);
        }
        line("1. purge propagation, %d single-URL purges on A, 3 nodes (target p99 < 50 ms):", URL_PURGES);
        line("   answer to every node missing (no wait): %s", stats(propagation));
        line("   POST /purge answer itself (no wait):    %s", stats(answer));
        line("   POST /purge \"wait\":\"all\" answer:       %s", stats(waitAll));
        line("   p99 target met: %s", percentile(propagation, 99) < ms(50) ? "yes" : "NO");
    }

    /** Part 2: one tag purge of {@value #TAGGED_PAGES} pages on every node. */
    private void tagPurge(List<EdgeProcess> nodes, Admin adminA) throws Exception {
        long fillNanos = fill(nodes, "t", TAGGED_PAGES);
        for (EdgeProcess n : nodes) {
            JsonNode keys = new Admin(n.adminPort).getJson("/keys?prefix=/t/&limit=" + TAGGED_PAGES);
            assertThat(keys.get("keys").size()).as("tagged pages stored").isEqualTo(TAGGED_PAGES);
        }
        long sent = System.nanoTime();
        HttpResponse<String> r = adminA.post("/purge", "{\"tags\":[\"bench\"],\"wait\":\"all\"}");
        long answered = System.nanoTime();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Admin.json(r).get("purged").asInt()).isEqualTo(TAGGED_PAGES);
        long lastGone = answered;
        Instant deadline = Instant.now().plusSeconds(10);
        for (EdgeProcess n : nodes) {
            Admin admin = new Admin(n.adminPort);
            while (admin.getJson("/keys?prefix=/t/&limit=1").get("keys").size() > 0) {
                assertThat(Instant.now()).as("tagged pages gone within 10 s").isBefore(deadline);
            }
            lastGone = Math.max(lastGone, System.nanoTime());
        }
        line(
                "2. tag purge of %,d pages stored on each of 3 nodes, \"wait\":\"all\" on A (target < 300 ms):",
                TAGGED_PAGES);
        line(
                "   fill: %,d origin misses (3 x %,d) by %d keep-alive clients in %.1f s = %,.0f pages/s",
                3 * TAGGED_PAGES, TAGGED_PAGES, FILL_CLIENTS, fillNanos / 1e9, 3 * TAGGED_PAGES / (fillNanos / 1e9));
        line(
                "   answer: %.1f ms; all 3 nodes show no key: %.1f ms after the request was sent",
                millis(answered - sent), millis(lastGone - sent));
        line("   target met: %s", lastGone - sent < ms(300) ? "yes" : "NO");
    }

    /** Part 3: wrk against the clustered node and the plain one, alternating rounds. */
    private void hitThroughput(EdgeProcess clustered, EdgeProcess plain) throws Exception {
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
        for (int round = 0; round < ROUNDS; round++) {
            // alternate who goes first, so a drift in the neighbours' load hits both sides alike
            if (round % 2 == 0) {
                withCluster[round] = load(clustered.port, script, ROUND);
                without[round] = load(plain.port, script, ROUND);
            } else {
                without[round] = load(plain.port, script, ROUND);
                withCluster[round] = load(clustered.port, script, ROUND);
            }
        }
        double ratio = median(withCluster) / median(without);
        line(
                "3. hit throughput, %d pages, wrk -t1 -c%d, %d alternating rounds of %d s each (target ratio >= 0.97):",
                HOT_PAGES, CONNECTIONS, ROUNDS, ROUND.toSeconds());
        line("   with cluster:    %s req/s, median %,.0f", rounds(withCluster), median(withCluster));
        line("   without cluster: %s req/s, median %,.0f", rounds(without), median(without));
        line("   ratio of medians: %.3f (target met: %s)", ratio, ratio >= 0.97 ? "yes" : "NO");
        line("   load average before the rounds %s, after %s", loadBefore, loadAverage());
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
                            if (reply.status != 200 || !reply.cacheStatus.contains("stored"))
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

    /** Polls {@code GET /keys/info} every millisecond until 404; when it was seen. Fails past {@link #GONE_WITHIN}. */
    private static long goneAt(EdgeProcess n, String url, long since) throws InterruptedException {
        while (info(n, url) != 404) {
            if (System.nanoTime() - since > GONE_WITHIN.toNanos())
                throw new AssertionError(url + " still stored on :" + n.port + " " + GONE_WITHIN + " after the purge");
            Thread.sleep(1); // polling interval of the measurement, not a race
        }
        return System.nanoTime();
    }

    private static int info(EdgeProcess n, String url) {
        return new Admin(n.adminPort)
                .get("/keys/info?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8))
                .statusCode();
    }

    private EdgeProcess start(String id, boolean clustered) throws IOException {
        Path config = dir.resolve(id + ".yaml");
        String cluster = clustered ? """
                cluster:
                  node-id: %s
                  redis: %s
                  token: peer-secret
                  peer:
                    listen: 127.0.0.1:0
                """.formatted(id, redis.uri()) : "";
        Files.writeString(
                config, """
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
                """.formatted(origin.getPort(), dir.resolve(id + "-store"), TestEdge.TOKEN) + cluster);
        EdgeProcess p = EdgeProcess.start(config, dir.resolve(id + ".log"));
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
