package dev.edgecache.proxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} (the Debian package) as a child process on a loopback port, with no persistence, in
 * its own directory; stopped by PID. Where {@code redis-server} is not installed the test is skipped with a clear
 * message, except in CI (env {@code CI} set), where that is a failure.
 */
public final class RedisServer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private @Nullable Process process;

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts redis-server in {@code dir} on a free loopback port and waits (bounded) until it answers PING. */
    public static RedisServer start(Path dir) throws IOException {
        String binary = binary();
        RedisServer r = new RedisServer(dir, freePort());
        r.launch(binary);
        return r;
    }

    /** Starts it again on the same port after {@link #kill9()} or {@link #stop()} (an empty server: no persistence). */
    public void restart() throws IOException {
        launch(binary());
    }

    private static String binary() {
        for (String d : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin")) {
            Path p = Path.of(d, "redis-server");
            if (Files.isExecutable(p)) return p.toString();
        }
        String why = "redis-server is not installed (apt-get install redis-server); the cluster tests need it";
        if (System.getenv("CI") != null) throw new AssertionError(why);
        Assumptions.abort(why);
        throw new AssertionError(why); // not reached
    }

    private void launch(String binary) throws IOException {
        Files.createDirectories(dir);
        Process p = new ProcessBuilder(
                        binary,
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("redis.log").toFile()))
                .start();
        process = p;
        Instant deadline = Instant.now().plusSeconds(20);
        while (!pong()) {
            if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                p.destroyForcibly();
                throw new IllegalStateException("redis-server did not come up on port " + port + ":\n" + log());
            }
            pause();
        }
    }

    public int port() {
        return port;
    }

    /** The URI for {@code cluster.redis}. */
    public String uri() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** SIGKILL by PID; waits until the process is gone. */
    public void kill9() throws InterruptedException {
        Process p = process;
        if (p == null) return;
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        process = null;
    }

    /** SIGTERM by PID, SIGKILL after 10 s. */
    public void stop() throws InterruptedException {
        Process p = process;
        if (p == null) return;
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        process = null;
    }

    /** True when the server answers {@code PING} with {@code +PONG}. */
    public boolean pong() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.readNBytes(buf, 0, 7);
            return new String(buf, 0, n, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Sends one command (RESP array of bulk strings) and returns the first line of the reply, e.g. {@code :1} or
     * {@code +OK}: enough for the few administrative commands tests need (XTRIM, FLUSHALL).
     */
    public String command(String... args) {
        StringBuilder resp = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            resp.append('$')
                    .append(a.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n")
                    .append(a)
                    .append("\r\n");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(resp.toString().getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) if (c != '\r') line.append((char) c);
            return line.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(Duration.ofMillis(50)); // polling interval for start-up, not a race
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
