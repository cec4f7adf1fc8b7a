package dev.edgecache.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The built origin jar and edge jar running as child processes on free loopback ports, configured from
 * {@code conf/} with temporary stores. The edge serves readers; the origin sends its purges to the edge's admin
 * port with the edge's token, exactly as {@code bin/run-all} wires them.
 *
 * <p>Owns both processes: {@link #close()} stops them (SIGTERM, then SIGKILL after a grace period) and is also run
 * by a shutdown hook, so an aborted test run leaves no server behind. Process output goes to log files that
 * {@link #logs()} returns for failure messages. Not thread-safe; one test class uses one instance.
 */
final class EdgeAndOrigin implements AutoCloseable {
    /** JVM flags of the shipped start script: JNI without warnings, Netty keeps Unsafe on JDK 24+. */
    private static final List<String> JVM_FLAGS =
            List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(40);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final int LOG_TAIL_LINES = 80;

    private final int edgePort;
    private final int adminPort;
    private final int originPort;
    private final String adminToken;
    private final Path edgeLog;
    private final Path originLog;
    private final List<Process> processes = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::stopAll, "e2e-stop-children");
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private EdgeAndOrigin(List<Integer> ports, Path logDir) {
        this.edgePort = ports.get(0);
        this.adminPort = ports.get(1);
        this.originPort = ports.get(2);
        byte[] token = new byte[24];
        new SecureRandom().nextBytes(token);
        this.adminToken = HexFormat.of().formatHex(token);
        this.edgeLog = logDir.resolve("edge.log");
        this.originLog = logDir.resolve("origin.log");
    }

    /**
     * Starts origin and edge and returns once the origin answers {@code /_edge/health} and the edge's admin port
     * answers {@code /readyz} (which it does only when the reader port listens).
     *
     * @param repoRoot the repository root: jars are read from {@code proxy/target} and {@code origin/target}, route
     *     and renderer settings from {@code conf/}
     * @param workDir an empty directory owned by the caller: configs, RocksDB and SQLite files go there
     * @param logDir where {@code edge.log} and {@code origin.log} are written
     */
    static EdgeAndOrigin start(Path repoRoot, Path workDir, Path logDir) throws IOException, InterruptedException {
        Path edgeJar = requireJar(repoRoot, "proxy/target/edge-proxy.jar", "proxy");
        Path originJar = requireJar(repoRoot, "origin/target/edge-origin.jar", "origin");
        Files.createDirectories(logDir);
        EdgeAndOrigin site = new EdgeAndOrigin(LoopbackPorts.free(3), logDir);
        Runtime.getRuntime().addShutdownHook(site.shutdownHook);
        try {
            Path originConfig = Files.writeString(workDir.resolve("origin.yaml"), site.originYaml(workDir));
            Path edgeConfig = Files.writeString(
                    workDir.resolve("edge.yaml"),
                    site.edgeYaml(workDir, Files.readString(repoRoot.resolve("conf/edge.yaml"))));
            Process origin = site.launch(originJar, originConfig, workDir, site.originLog);
            Process edge = site.launch(edgeJar, edgeConfig, workDir, site.edgeLog);
            site.awaitReady("origin /_edge/health", origin, URI.create(site.originUrl() + "/_edge/health"));
            site.awaitReady("edge admin /readyz", edge, site.admin("/readyz"));
            return site;
        } catch (Throwable e) { // whatever failed, no child process outlives this call
            site.close();
            throw e;
        }
    }

    private static Path requireJar(Path repoRoot, String relative, String module) {
        Path jar = repoRoot.resolve(relative).normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing " + jar + ": build the " + module + " module first "
                    + "(run `mvn verify` from the repository root, or `mvn -pl " + module + " -am package`)");
        }
        return jar;
    }

    private String originYaml(Path workDir) {
        Path data = workDir.resolve("origin-data");
        return """
                # written by EdgeAndOrigin (e2e) from conf/origin.yaml: free ports, temp data, fast hashing
                listen: 127.0.0.1:%d
                data: %s
                public-url: %s
                database:
                  url: jdbc:sqlite:%s
                edge:
                  enabled: true
                  admin-url: http://127.0.0.1:%d
                  admin-token: %s
                  timeout: 5s
                  retry-min: 100ms
                  retry-max: 2s
                seed-demo: false
                password-hashing:
                  iterations: 1000
                sessions:
                  ttl: 1d
                  secure-cookie: false
                login-limits:
                  per-account: 5
                  per-address: 20
                  window: 15m
                max-request-size: 4MiB
                """.formatted(originPort, data, edgeUrl(), data.resolve("blog.db"), adminPort, adminToken);
    }

    /** The shipped route table (everything from {@code routes:} on), under listen/origin/store/admin of our own. */
    private String edgeYaml(Path workDir, String shipped) {
        int routes = shipped.indexOf("\nroutes:");
        if (routes < 0) throw new IllegalStateException("conf/edge.yaml has no top-level `routes:` block");
        return """
                # written by EdgeAndOrigin (e2e): free ports, temp store; routes copied from conf/edge.yaml
                listen: 127.0.0.1:%d
                origin:
                  url: %s
                  connect-timeout: 2s
                  timeout: 10s
                store:
                  path: %s
                  memory: 32MiB
                admin:
                  listen: 127.0.0.1:%d
                  token: %s
                """.formatted(edgePort, originUrl(), workDir.resolve("edge-store"), adminPort, adminToken)
                + shipped.substring(routes + 1);
    }

    private Process launch(Path jar, Path config, Path workDir, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-jar", jar.toString(), "--config", config.toString()));
        Files.writeString(log, "$ " + String.join(" ", command) + "\n");
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        processes.add(process);
        return process;
    }

    private void awaitReady(String what, Process process, URI uri) throws InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build();
        Poll.until(
                what,
                START_TIMEOUT,
                () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError(what + ": process exited with code " + process.exitValue()
                                + " before it was ready\n" + logs());
                    }
                    return http.send(request, HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
                },
                this::logs);
    }

    String edgeUrl() {
        return "http://127.0.0.1:" + edgePort;
    }

    String originUrl() {
        return "http://127.0.0.1:" + originPort;
    }

    URI edge(String path) {
        return URI.create(edgeUrl() + path);
    }

    URI admin(String path) {
        return URI.create("http://127.0.0.1:" + adminPort + path);
    }

    String adminToken() {
        return adminToken;
    }

    /** The last lines of both process logs, for failure messages. */
    String logs() {
        return tail("origin", originLog) + tail("edge", edgeLog);
    }

    private static String tail(String name, Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            return "----- " + name + " (" + log + ", last " + last.size() + " of " + lines.size() + " lines)\n"
                    + String.join("\n", last) + "\n";
        } catch (IOException e) {
            return "----- " + name + ": cannot read " + log + ": " + e + "\n";
        }
    }

    @Override
    public void close() {
        stopAll();
        http.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and the hook has run or is running: nothing left to undo
        }
    }

    private synchronized void stopAll() {
        for (Process process : processes) process.destroy();
        for (Process process : processes) {
            try {
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }
}
