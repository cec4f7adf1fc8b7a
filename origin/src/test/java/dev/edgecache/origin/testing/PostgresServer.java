package dev.edgecache.origin.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away PostgreSQL server from the Debian package, one per test JVM: {@code initdb} into a temp directory,
 * {@code postgres} on a free 127.0.0.1 port with its unix socket in that directory, {@link #createDatabase()} for a
 * fresh database per test or test class. Stopped by PID (SIGINT, PostgreSQL's fast shutdown) and its directory
 * deleted when the JVM exits. As root, every PostgreSQL command runs through {@code runuser -u postgres --}, because
 * the server refuses to run as root.
 *
 * <p>Where PostgreSQL is not installed the caller's test is skipped with a message saying so; when the environment
 * variable {@code CI} is set it fails instead, so CI can never pass by skipping.
 */
public final class PostgresServer {
    /** Where Debian installs PostgreSQL; {@code -Dedgecache.test.postgresql=<dir>} points elsewhere. */
    private static final Path DEBIAN_ROOT =
            Path.of(System.getProperty("edgecache.test.postgresql", "/usr/lib/postgresql"));

    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    private static @Nullable PostgresServer shared;
    private static @Nullable String failedStart;

    private final Path dir;
    private final int port;
    private final long pid;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresServer(Path dir, int port, long pid) {
        this.dir = dir;
        this.port = port;
        this.pid = pid;
    }

    /** The server of this JVM, started on first use; skips (or, under CI, fails) the test if none is installed. */
    public static synchronized PostgresServer shared() {
        if (shared != null) return shared;
        if (failedStart != null) throw new IllegalStateException(failedStart); // do not try again for every test
        Path bin = installedBinaries().orElse(null);
        if (bin == null) {
            String why =
                    "PostgreSQL is not installed (no " + DEBIAN_ROOT + "/*/bin/initdb; apt-get install postgresql)";
            if (System.getenv("CI") != null) {
                throw new IllegalStateException(why + ": CI is set, so the PostgreSQL runs fail instead of skipping");
            }
            Assumptions.abort(why + ": skipping the PostgreSQL runs");
        }
        try {
            PostgresServer server = start(bin);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "postgres-test-stop"));
            shared = server;
            return server;
        } catch (RuntimeException e) {
            failedStart = "PostgreSQL did not start: " + e.getMessage();
            throw e;
        }
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin} with an {@code initdb}. */
    static Optional<Path> installedBinaries() {
        if (!Files.isDirectory(DEBIAN_ROOT)) return Optional.empty();
        try (Stream<Path> versions = Files.list(DEBIAN_ROOT)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(PostgresServer::majorVersion));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static PostgresServer start(Path bin) {
        try {
            Path dir = Files.createTempDirectory("edge-pg-");
            if (runningAsRoot()) {
                UserPrincipal postgres =
                        dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
            }
            Path data = dir.resolve("data");
            run(
                    dir,
                    List.of(
                            bin.resolve("initdb").toString(),
                            "-D",
                            data.toString(),
                            "-U",
                            "postgres",
                            "-A",
                            "trust",
                            "-E",
                            "UTF8",
                            "--locale=C",
                            "--no-sync"));
            int port = freePort();
            String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=200"
                    + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
            run(
                    dir,
                    List.of(
                            bin.resolve("pg_ctl").toString(),
                            "-D",
                            data.toString(),
                            "-l",
                            dir.resolve("server.log").toString(),
                            "-o",
                            options,
                            "-w",
                            "-t",
                            "30",
                            "start"));
            long pid = Long.parseLong(
                    Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
            return new PostgresServer(dir, port, pid);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** Runs a PostgreSQL command (as user postgres when we are root), bounded in time; its output goes to a log. */
    private static void run(Path dir, List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        if (runningAsRoot()) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
        File log = dir.resolve("commands.log").toFile();
        Process p = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .start();
        try {
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + full + "; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted: " + full, e);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(
                    "exit " + p.exitValue() + ": " + full + "\n" + Files.readString(log.toPath()));
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A new, empty database; returns its JDBC URL. */
    public String createDatabase() {
        String name = "edge_test_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"));
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    public int port() {
        return port;
    }

    /** Fast shutdown by PID (SIGINT), SIGKILL if it is still there after 15 s, then the directory goes. */
    void stop() {
        Optional<ProcessHandle> server = ProcessHandle.of(pid);
        if (server.isPresent()) {
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor(5, TimeUnit.SECONDS);
                server.get().onExit().get(15, TimeUnit.SECONDS);
            } catch (IOException | ExecutionException | TimeoutException e) {
                server.get().destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.get().destroyForcibly();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
