package dev.edgecache.origin;

import dev.edgecache.common.config.ConfigException;
import dev.edgecache.origin.config.OriginServerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar origin/target/edge-origin.jar --config conf/origin.yaml}: loads the config, starts the {@link
 * OriginServer}, and stops it on SIGTERM or Ctrl-C. Exit codes: 0 after a clean stop, 1 when start-up fails, 2 for a
 * bad command line or config (the message is {@code file:line:column key: message}).
 */
@Command(
        name = "edge-origin",
        mixinStandardHelpOptions = true,
        version = "edge-origin 0.1.0",
        description = "The Edge origin: a small blogging platform with pluggable renderers.")
public final class OriginMain implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(OriginMain.class);
    static final int EXIT_CONFIG = 2;

    @Option(
            names = {"-c", "--config"},
            defaultValue = "conf/origin.yaml",
            paramLabel = "FILE",
            description = "config file (default: ${DEFAULT-VALUE})")
    Path config = Path.of("conf/origin.yaml");

    public static void main(String[] args) {
        System.exit(new CommandLine(new OriginMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        OriginServerConfig loaded;
        try {
            loaded = OriginServerConfig.load(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return EXIT_CONFIG;
        }
        log.info("origin.config file={}", config.toAbsolutePath().normalize());
        OriginServer server;
        try {
            server = OriginServer.start(loaded);
        } catch (IllegalArgumentException e) {
            System.err.println(config + ": " + e.getMessage());
            return EXIT_CONFIG;
        } catch (RuntimeException e) {
            log.error("origin.start-failed error={}", e.getMessage(), e);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info("origin.stopping reason=signal");
                            server.close();
                            stopped.countDown();
                        },
                        "origin-shutdown"));
        stopped.await();
        return 0;
    }
}
