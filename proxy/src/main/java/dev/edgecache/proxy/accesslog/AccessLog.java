package dev.edgecache.proxy.accesslog;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import dev.edgecache.common.config.AccessLogConfig;
import dev.edgecache.common.config.AccessLogConfig.Format;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one line per reader request on the {@code edge.access} logger, which this class wires, at start, to
 * a rolling file behind Logback's {@link AsyncAppender}. Readers' threads only format the line and queue it; a
 * background thread writes it, and a full queue drops lines rather than block an event loop (a slow disk never slows
 * readers). Rotation and retention are Logback's ({@link SizeAndTimeBasedRollingPolicy}). Owns its appenders: {@link
 * #close} stops them. Thread-safe.
 */
public final class AccessLog implements AutoCloseable {
    static final String LOGGER = "edge.access";
    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
    private static final int QUEUE = 8192;

    private final @Nullable Function<AccessEntry, String> format;
    private final Logger access = LoggerFactory.getLogger(LOGGER);
    private final @Nullable AsyncAppender appender;

    private AccessLog(@Nullable Function<AccessEntry, String> format, @Nullable AsyncAppender appender) {
        this.format = format;
        this.appender = appender;
    }

    /** A log that writes nothing. */
    public static AccessLog off() {
        return new AccessLog(null, null);
    }

    public static AccessLog open(AccessLogConfig config) {
        if (config.format() == Format.OFF) return off();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        String path = config.path().toAbsolutePath().toString();

        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName("edge-access-file");
        file.setFile(path);
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> rolling = new SizeAndTimeBasedRollingPolicy<>();
        rolling.setContext(context);
        rolling.setParent(file);
        rolling.setFileNamePattern(path + ".%d{yyyy-MM-dd}.%i.gz");
        rolling.setMaxFileSize(new FileSize(config.maxFileSize().bytes()));
        rolling.setMaxHistory(config.maxHistory());
        rolling.start();
        file.setRollingPolicy(rolling);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        file.setEncoder(encoder);
        file.start();
        if (!file.isStarted()) throw new IllegalStateException("cannot open the access log " + path);

        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName("edge-access");
        async.setQueueSize(QUEUE);
        async.setDiscardingThreshold(0); // every line is INFO: keep all while there is room
        async.setNeverBlock(true); // and drop rather than block a reader's event loop when there is none
        async.addAppender(file);
        async.start();

        ch.qos.logback.classic.Logger logger = context.getLogger(LOGGER);
        logger.detachAndStopAllAppenders();
        logger.setAdditive(false);
        logger.setLevel(Level.INFO);
        logger.addAppender(async);
        log.info("access-log format={} path={}", config.format().configName(), path);
        return new AccessLog(
                config.format() == Format.JSON ? AccessLineFormat::json : AccessLineFormat::combined, async);
    }

    public boolean enabled() {
        return format != null;
    }

    public void write(AccessEntry entry) {
        if (format != null) access.info(format.apply(entry));
    }

    /** Flushes the queued lines and stops writing. */
    @Override
    public void close() {
        if (appender == null) return;
        ch.qos.logback.classic.Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(LOGGER);
        logger.detachAppender(appender);
        logger.setLevel(Level.OFF);
        appender.stop(); // drains the queue (up to its flush time) and stops the file appender
    }
}
