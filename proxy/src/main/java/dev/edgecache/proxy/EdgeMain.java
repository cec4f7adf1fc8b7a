package dev.edgecache.proxy;

import dev.edgecache.common.config.ConfigException;
import dev.edgecache.common.config.EdgeConfig;
import dev.edgecache.common.store.StoreException;
import dev.edgecache.ctl.EdgeCtl;
import dev.edgecache.proxy.internal.NativeLibraries;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar edge-proxy.jar --config conf/edge.yaml}: loads the config (exit 2 with {@code file:line key:
 * message} when it is bad), starts the edge, and stops it cleanly on SIGTERM or Ctrl-C.
 * {@code java -jar edge-proxy.jar ctl ...} is the SRE command line ({@link EdgeCtl}).
 */
@Command(name = "edge-proxy", mixinStandardHelpOptions = true, description = "Runs the Edge cache proxy.")
public final class EdgeMain implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(EdgeMain.class);
    static final int EXIT_CONFIG = 2;

    @Option(
            names = "--config",
            description = "edge config file (default: ${DEFAULT-VALUE})",
            defaultValue = "conf/edge.yaml")
    Path config;

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("ctl")) {
            System.exit(EdgeCtl.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        System.exit(new CommandLine(new EdgeMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        EdgeConfig cfg;
        try {
            cfg = EdgeConfig.load(config);
        } catch (ConfigException e) {
            System.err.println("edge: bad config: " + e.getMessage());
            return EXIT_CONFIG;
        }
        log.info(
                "edge.config file={} routes={} origin={}",
                config.toAbsolutePath(),
                cfg.routes().size(),
                cfg.origin().url());
        // before anything touches RocksDB, brotli4j or Netty natives: one stable copy, not one per start in the temp
        // dir
        NativeLibraries.install(NativeLibraries.dirFor(cfg.store().path()));
        EdgeServer server;
        try {
            server = EdgeServer.start(cfg, InstantSource.system());
        } catch (StoreException e) {
            System.err.println("edge: cannot open the store: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "edge-shutdown"));
        stopped.await();
        return 0;
    }
}
