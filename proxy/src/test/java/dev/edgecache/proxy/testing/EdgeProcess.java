package dev.edgecache.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The built {@code edge-proxy.jar} as a child process, for restart and {@code kill -9} tests. */
public final class EdgeProcess implements AutoCloseable {
    public static final Path JAR = Path.of("target/edge-proxy.jar");
    /** EdgeServer's start-up line: {@code edge.listen edge=127.0.0.1:PORT admin=127.0.0.1:PORT ...}. */
    private static final Pattern LISTEN_LINE = Pattern.compile("edge\\.listen edge=[^ ]+:(\\d+) admin=[^ ]+:(\\d+)");

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

    /** The admin token of {@link #writeConfig} files. */
    public static final String TOKEN = "t0ken";

    /**
     * Writes a config for the jar: reader and admin on port 0, admin token {@link #TOKEN}, the store at {@code store}
     * and {@code routesYaml} (list items) as the routes.
     */
    public static Path writeConfig(Path file, int originPort, Path store, String routesYaml) throws IOException {
        Files.writeString(file, """
                listen: 127.0.0.1:0
                origin:
                  url: http://127.0.0.1:%d
                store:
                  path: %s
                admin:
                  listen: 127.0.0.1:0
                  token: %s
                routes:
                %s""".formatted(originPort, store, TOKEN, routesYaml.indent(2)));
        return file;
    }

    /**
     * Starts the jar with {@code config}, which should listen on port 0 for both ports: the ports the edge bound are
     * read from its {@code edge.listen} start-up line, so no port is chosen here and lost to another process before
     * the child binds it. Waits (bounded) until the admin port answers /healthz.
     */
    public static EdgeProcess start(Path config, Path log) throws IOException {
        return start(config, log, List.of());
    }

    /** Same as {@link #start(Path, Path)}, with more JVM options (e.g. {@code -Dio.netty.leakDetection.level=paranoid}). */
    public static EdgeProcess start(Path config, Path log, List<String> jvmOptions) throws IOException {
        Process p = command(config, jvmOptions)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Instant deadline = Instant.now().plusSeconds(30);
        EdgeProcess edge = null;
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) {
                throw new IllegalStateException("edge exited with " + p.exitValue() + ":\n" + read(log));
            }
            if (edge == null) edge = listening(p, log);
            if (edge != null && answersHealth(edge.adminPort)) return edge;
            sleepBriefly();
        }
        p.destroyForcibly();
        throw new IllegalStateException("edge did not come up in 30s:\n" + read(log));
    }

    /** The process with its ports once its start-up line names them, else null. */
    private static @Nullable EdgeProcess listening(Process p, Path log) {
        Matcher m = LISTEN_LINE.matcher(read(log));
        if (!m.find()) return null;
        return new EdgeProcess(p, log, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    private static boolean answersHealth(int adminPort) {
        try {
            return Http.get(adminPort, "/healthz").statusCode() == 200;
        } catch (UncheckedIOException notYet) {
            return false; // not listening yet: poll again until the deadline
        }
    }

    public static ProcessBuilder command(Path config) {
        return command(config, List.of());
    }

    public static ProcessBuilder command(Path config, List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of(
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                "-jar",
                JAR.toString(),
                "--config",
                config.toString()));
        return new ProcessBuilder(cmd);
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

    /** The child's process id, e.g. for reading {@code /proc/PID/status}. */
    public long pid() {
        return process.pid();
    }

    public String output() {
        return read(log);
    }

    private static String read(Path log) {
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
