package dev.edgecache.proxy;

import dev.edgecache.common.config.AdminTlsConfig;
import dev.edgecache.common.config.ConfigException;
import dev.edgecache.common.config.EdgeConfig;
import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.route.ShadowedRoutes;
import dev.edgecache.common.store.StoreException;
import dev.edgecache.ctl.EdgeCtl;
import dev.edgecache.proxy.internal.NativeLibraries;
import dev.edgecache.proxy.tls.TlsContexts;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
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
@Command(
        name = "edge-proxy",
        mixinStandardHelpOptions = true,
        versionProvider = EdgeMain.Version.class,
        description = "Runs the Edge cache proxy.")
public final class EdgeMain implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(EdgeMain.class);
    static final int EXIT_CONFIG = 2;

    @Option(
            names = "--config",
            description = "edge config file (default: ${DEFAULT-VALUE})",
            defaultValue = "conf/edge.yaml")
    Path config;

    @Option(
            names = "--check",
            description = "validate the config file and exit (0 valid, 2 not), like nginx -t; binds no port")
    boolean check;

    /** {@code -V}: the version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = EdgeMain.class.getPackage().getImplementationVersion();
            return new String[] {"edge " + (v == null ? "(development build)" : v) + ", Java " + Runtime.version()};
        }
    }

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
        List<String> warnings = ShadowedRoutes.warnings(
                cfg.routes().stream().map(RouteConfig::match).toList());
        if (check) {
            if (cfg.tls() != null || cfg.admin().tls() != null) {
                try { // issue 13: the certificates too (parse, expiry, key match), as the start would
                    if (cfg.tls() != null) TlsContexts.load(cfg.tls(), InstantSource.system());
                    AdminTlsConfig adminTls = cfg.admin().tls();
                    if (adminTls != null) TlsContexts.forAdmin(adminTls, InstantSource.system());
                } catch (ConfigException e) {
                    System.err.println("edge: bad config: " + config + ": " + e.getMessage());
                    return EXIT_CONFIG;
                }
            }
            for (String w : warnings) System.out.println("edge: warning: " + config + ": " + w);
            System.out.println("edge: " + config + " is valid: " + cfg.routes().size() + " routes, origin "
                    + cfg.origin().url());
            return 0;
        }
        log.info(
                "edge.config file={} routes={} origin={}",
                config.toAbsolutePath(),
                cfg.routes().size(),
                cfg.origin().url());
        for (String w : warnings) log.warn("edge.config file={} warning=\"{}\"", config, w);
        // before anything touches RocksDB, brotli4j or Netty natives: one stable copy, not one per start in the temp
        // dir
        NativeLibraries.install(NativeLibraries.dirFor(cfg.store().path()));
        EdgeServer server;
        try {
            server = EdgeServer.start(cfg, config, InstantSource.system());
        } catch (StoreException e) {
            System.err.println("edge: cannot open the store: " + e.getMessage());
            return 1;
        } catch (ConfigException e) { // issue 13: a certificate that cannot be used (expired, wrong key, unreadable)
            System.err.println("edge: bad config: " + config + ": " + e.getMessage());
            return EXIT_CONFIG;
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
