package dev.edgecache.proxy.testing;

import dev.edgecache.common.testing.FakeClock;
import dev.edgecache.proxy.EdgeServer;
import dev.edgecache.proxy.deploy.DeployRegistry;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.store.TieredStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@link EdgeServer} per test (Armeria's ServerExtension, Zuul's ZuulServerExtension): ports 0, its own
 * RocksDB directory, a {@link FakeClock}, the given routes in front of the given origin. Started before the test's
 * {@code @BeforeEach} methods, closed and deleted after the test.
 */
public final class EdgeServerExtension implements BeforeEachCallback, AfterEachCallback {
    private final IntSupplier originPort;
    private final String routes;
    private final FakeClock clock = new FakeClock();
    private Path dir;
    private EdgeServer server;

    public EdgeServerExtension(IntSupplier originPort) {
        this(originPort, TestEdge.DEFAULT_ROUTES);
    }

    /** @param routes YAML list items, as {@link TestEdge#config(int, Path, String)} takes them */
    public EdgeServerExtension(IntSupplier originPort, String routes) {
        this.originPort = originPort;
        this.routes = routes;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("edge-it-");
        start();
    }

    private void start() throws InterruptedException {
        server = EdgeServer.start(TestEdge.config(originPort.getAsInt(), dir, routes), clock);
    }

    /** Closes the edge and starts it again on the same store (a restart). */
    public void restart() throws InterruptedException {
        server.close();
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        server.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    public FakeClock clock() {
        return clock;
    }

    public int port() {
        return server.port();
    }

    public int adminPort() {
        return server.adminPort();
    }

    public EdgeMetrics metrics() {
        return server.metrics();
    }

    public TieredStore store() {
        return server.store();
    }

    public DeployRegistry deploys() {
        return server.deploys();
    }
}
