package dev.edgecache.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The built {@code edge-proxy.jar} as a child process, for restart and {@code kill -9} tests. */
public final class EdgeProcess implements AutoCloseable {
    public static final Path JAR = Path.of("target/edge-proxy.jar");

    private final Process process;
    private final Path log;
    public final int port;
    public final int adminPort;

    private EdgeProcess(Process process, Path log, int port, int adminPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.adminPort = adminPort;
    }

    /** Starts the jar with {@code config} and waits (bounded) until its admin port answers /healthz. */
    public static EdgeProcess start(Path config, Path log, int port, int adminPort) throws IOException {
        Process p = command(config)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        EdgeProcess edge = new EdgeProcess(p, log, port, adminPort);
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive())
                throw new IllegalStateException("edge exited with " + p.exitValue() + ":\n" + edge.output());
            try {
                HttpResponse<String> r = Http.get(adminPort, "/healthz");
                if (r.statusCode() == 200) return edge;
            } catch (UncheckedIOException notYet) {
                // not listening yet: poll again until the deadline
            }
            sleepBriefly();
        }
        edge.close();
        throw new IllegalStateException("edge did not come up in 30s:\n" + edge.output());
    }

    public static ProcessBuilder command(Path config) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of(
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                "-jar",
                JAR.toString(),
                "--config",
                config.toString()));
        return new ProcessBuilder(cmd);
    }

    /** Free loopback ports, reserved by binding then releasing (Zuul's findAvailableTcpPorts). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no close. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then the exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) process.destroyForcibly();
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(Duration.ofMillis(100));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) process.destroyForcibly();
    }
}
