package dev.edgecache.proxy.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The edge's logging set up in code, found by logback through {@code ServiceLoader} (issue 12: restart time). Reading
 * the same settings from a {@code logback.xml} loaded about 500 classes and took a few hundred milliseconds of every
 * start, most of the time before the first line is logged. An operator's own file still wins: with {@code
 * -Dlogback.configurationFile=FILE} (or a {@code logback-test.xml} on the class path, as in our tests) this steps aside
 * and logback reads that file as usual.
 */
public final class EdgeLogConfigurator extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        boolean fileGiven = System.getProperty("logback.configurationFile") != null
                || EdgeLogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null;
        return fileGiven ? ExecutionStatus.INVOKE_NEXT_IF_ANY : configureInCode(context);
    }

    static ExecutionStatus configureInCode(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        context.getLogger("edge.access").setLevel(Level.OFF); // one line per exchange: AccessLog wires it when asked
        context.getLogger("edge.audit").setLevel(Level.INFO);
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("org.rocksdb").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
