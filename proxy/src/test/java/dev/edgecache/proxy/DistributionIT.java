package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.testing.EdgeProcess;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive that {@code mvn package} builds ({@code target/edge-<version>.tar.gz}, issue 10),
 * unpacked with {@code tar} as an operator would: its layout, {@code bin/edge} starting the edge with the
 * recommended flags (heap from {@code store.memory}), {@code bin/ctl} talking to it through its CDS archive, and the
 * systemd unit passing {@code systemd-analyze verify}. Runs after the package phase (failsafe).
 */
class DistributionIT {
    private static final Pattern LISTEN_LINE = Pattern.compile("edge\\.listen edge=[^ ]+:(\\d+) admin=[^ ]+:(\\d+)");
    private static final Pattern TLS_LINE = Pattern.compile("edge\\.tls listen=[^ ]+:(\\d+) ");
    private static final Duration PROCESS_LIMIT = Duration.ofSeconds(60);

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    static Path dir;

    static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> archives = files.filter(p -> p.getFileName().toString().matches("edge-.+\\.tar\\.gz"))
                    .toList();
            assertThat(archives).as("one edge-<version>.tar.gz in target/").hasSize(1);
            archive = archives.getFirst();
        }
        Result tar = run(List.of("tar", "-xzf", archive.toAbsolutePath().toString(), "-C", dir.toString()), Map.of());
        assertThat(tar.code()).as(tar.output()).isZero();
        String base = archive.getFileName().toString().replace(".tar.gz", "");
        home = dir.resolve(base);
    }

    @Test
    void theArchiveHoldsScriptsJarConfigAndUnit() throws IOException {
        assertThat(home).isDirectory();
        for (String script : List.of("bin/edge", "bin/ctl")) {
            assertThat(Files.getPosixFilePermissions(home.resolve(script)))
                    .as(script)
                    .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
        }
        assertThat(home.resolve("lib/edge-proxy.jar")).isRegularFile();
        assertThat(home.resolve("conf/edge.yaml")).isRegularFile();
        assertThat(home.resolve("README.md")).isRegularFile();
        assertThat(Files.readString(home.resolve("systemd/edge.service")))
                .contains("ExecStart=/opt/edge/bin/edge --config /etc/edge/edge.yaml")
                .contains("ProtectSystem=strict", "NoNewPrivileges=yes", "PrivateTmp=yes", "Restart=on-failure")
                .contains("LimitNOFILE=");
    }

    @Test
    void binEdgeAnswersHelpWithItsFlags() throws Exception {
        Result help = run(List.of(home.resolve("bin/edge").toString(), "--help"), env());

        assertThat(help.code()).as(help.output()).isZero();
        assertThat(help.output()).contains("--config");
    }

    @Test
    void binEdgeStartsTheEdgeSizedToItsConfigAndBinCtlTalksToIt() throws Exception {
        Path config = dir.resolve("edge.yaml");
        Files.writeString(config, """
                listen: 127.0.0.1:0
                origin:
                  url: http://127.0.0.1:9
                store:
                  path: %s
                  memory: 300MiB    # bin/edge: heap 300/2 + 64 MiB, direct memory 300 + 128 MiB
                admin:
                  listen: 127.0.0.1:0
                  token: t0ken
                routes:
                  - {match: "/{user}/{slug}", mode: persistent}
                """.formatted(dir.resolve("store")));
        Path log = dir.resolve("edge.log");
        Process process = startEdge(config, log);
        try {
            int adminPort = awaitAdminPort(process, log);
            // bin/edge execs java, so the process it started is the JVM with the flags bin/edge chose
            List<String> jvmArgs = List.of(process.info().arguments().orElseThrow());
            assertThat(jvmArgs)
                    .contains(
                            "-Xms214m",
                            "-Xmx214m",
                            "-XX:MaxDirectMemorySize=428m",
                            "-XX:+UseG1GC",
                            "-XX:MaxGCPauseMillis=5",
                            "-XX:+UnlockExperimentalVMOptions",
                            "-XX:G1MaxNewSizePercent=30",
                            "-Dio.netty.leakDetection.trackClose=false",
                            "--enable-native-access=ALL-UNNAMED")
                    .containsSequence("-jar", home.resolve("lib/edge-proxy.jar").toString());

            Map<String, String> ctlEnv =
                    Map.of("EDGE_ADMIN_URL", "http://127.0.0.1:" + adminPort, "EDGE_ADMIN_TOKEN", "t0ken");
            List<String> deploys = List.of(home.resolve("bin/ctl").toString(), "deploys");
            Result first = run(deploys, merged(ctlEnv));
            assertThat(first.code()).as(first.output()).isZero();
            assertThat(first.output()).contains("initial  active");
            // the first call left the AppCDS archive of ctl's classes next to the jar; the next one maps it
            try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
                assertThat(lib.map(p -> p.getFileName().toString())).anyMatch(n -> n.matches("ctl-\\d+-\\d+\\.jsa"));
            }
            Result second = run(deploys, merged(ctlEnv));
            assertThat(second.code()).as(second.output()).isZero();
            assertThat(second.output()).isEqualTo(first.output()); // no JVM or CDS line mixed into the output

            Result top = run(
                    List.of(home.resolve("bin/ctl").toString(), "top", "--once", "--interval", "100ms"),
                    merged(ctlEnv));
            assertThat(top.code()).as(top.output()).isZero();
            assertThat(top.output()).contains("edge top  http://127.0.0.1:" + adminPort, "deploy initial", "requests ");
        } finally {
            process.destroy(); // SIGTERM: the edge's shutdown hook closes it
            if (!process.waitFor(PROCESS_LIMIT.toSeconds(), TimeUnit.SECONDS)) process.destroyForcibly();
        }
        assertThat(process.exitValue()).as("exit on SIGTERM").isEqualTo(143);
    }

    @Test
    void theBuiltJarServesHttp2OverTlsToDebiansCurl() throws Exception { // issue 13: curl --http2 against the jar
        assumeThat(onPath("curl"))
                .as("curl is not installed (bin/test installs it)")
                .isTrue();
        origin.stubFor(get("/alice/tls").willReturn(aResponse().withStatus(200).withBody("over h2")));
        TestCertificates ca = TestCertificates.createCa(Files.createDirectories(dir.resolve("ca")));
        TestCertificates.Site site = ca.site("a", List.of("a.example"));
        Path config = dir.resolve("edge-tls.yaml");
        EdgeProcess.writeConfig(
                config, origin.getPort(), dir.resolve("store-tls"), "- {match: \"/{user}/{slug}\", mode: persistent}");
        Files.writeString(config, """
                tls:
                  listen: 127.0.0.1:0
                  certificates:
                    - %s
                """.formatted(site.yaml()), StandardOpenOption.APPEND);
        Path log = dir.resolve("edge-tls.log");
        Process process = startEdge(config, log);
        try {
            awaitAdminPort(process, log);
            Matcher tls = TLS_LINE.matcher(Files.readString(log));
            assertThat(tls.find()).as("edge.tls line").isTrue();
            List<String> curl = ca.curlHttp2("a.example", Integer.parseInt(tls.group(1)), "/alice/tls");
            Result first = run(curl, env());
            Result second = run(curl, env());
            assertThat(first.output())
                    .startsWith("HTTP/2 200")
                    .contains("cache-status: edge; fwd=miss; stored")
                    .endsWith("over h2");
            assertThat(second.output()).startsWith("HTTP/2 200").contains("cache-status: edge; hit");
        } finally {
            process.destroy();
            if (!process.waitFor(PROCESS_LIMIT.toSeconds(), TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    @Test
    void theSystemdUnitPassesSystemdAnalyzeVerify() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeThat(Files.isExecutable(analyze))
                .as("systemd-analyze is installed")
                .isTrue();
        // the unit names /opt/edge; point it at the unpacked copy, which verify checks is executable
        String unit = Files.readString(home.resolve("systemd/edge.service"))
                .replace("/opt/edge/bin/edge", home.resolve("bin/edge").toString());
        Path copy = Files.createDirectories(dir.resolve("unit")).resolve("edge.service");
        Files.writeString(copy, unit);

        Result verify = run(List.of(analyze.toString(), "verify", copy.toString()), Map.of());

        assertThat(verify.code()).as(verify.output()).isZero();
        assertThat(verify.output()).doesNotContain("edge.service");
    }

    private static Map<String, String> env() {
        return Map.of("JAVA_HOME", System.getProperty("java.home"));
    }

    private static Map<String, String> merged(Map<String, String> more) {
        Map<String, String> all = new HashMap<>(env());
        all.putAll(more);
        return all;
    }

    /** {@code bin/edge --config config}, its output in {@code log}. */
    private static Process startEdge(Path config, Path log) throws IOException {
        ProcessBuilder edge = new ProcessBuilder(home.resolve("bin/edge").toString(), "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        edge.environment().putAll(env());
        return edge.start();
    }

    private static int awaitAdminPort(Process process, Path log) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(PROCESS_LIMIT);
        while (Instant.now().isBefore(deadline)) {
            String output = Files.readString(log);
            Matcher m = LISTEN_LINE.matcher(output);
            if (m.find()) return Integer.parseInt(m.group(2));
            if (!process.isAlive()) throw new AssertionError("bin/edge exited " + process.exitValue() + ":\n" + output);
            process.waitFor(100, TimeUnit.MILLISECONDS); // returns at once if it exits
        }
        throw new AssertionError("bin/edge did not listen within " + PROCESS_LIMIT + ":\n" + Files.readString(log));
    }

    private record Result(int code, String output) {}

    /** Runs a command to its end (bounded), stdout and stderr together. */
    private static Result run(List<String> command, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(PROCESS_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not end within " + PROCESS_LIMIT);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
