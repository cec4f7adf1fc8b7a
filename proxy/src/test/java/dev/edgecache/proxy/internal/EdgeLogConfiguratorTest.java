package dev.edgecache.proxy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class EdgeLogConfiguratorTest {
    @Test
    void logbackFindsItThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream())
                .anyMatch(p -> p.type() == EdgeLogConfigurator.class);
    }

    @Test
    void setsTheConsoleAndTheLevelsTheEdgeShipsWith() {
        LoggerContext context = new LoggerContext();
        assertThat(EdgeLogConfigurator.configureInCode(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(root.getAppender("STDOUT")).isInstanceOf(ConsoleAppender.class);
        assertThat(root.getAppender("STDOUT").isStarted()).isTrue();
        assertThat(context.getLogger("edge.access").getLevel()).isEqualTo(Level.OFF);
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.rocksdb").getLevel()).isEqualTo(Level.WARN);
        context.stop();
    }

    @Test
    void stepsAsideForAFileOnTheClassPath() { // the tests' logback-test.xml, or -Dlogback.configurationFile
        assertThat(new EdgeLogConfigurator().configure(new LoggerContext()))
                .isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    }
}
