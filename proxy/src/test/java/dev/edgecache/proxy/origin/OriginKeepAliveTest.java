package dev.edgecache.proxy.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.config.OriginConfig;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.testing.RawOrigin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code origin.keepalive-timeout}: a pooled connection idle longer than that is not reused, so the edge does not
 * send a request (a POST it could not retry) on a connection the origin is closing at that moment.
 */
class OriginKeepAliveTest {
    private final AtomicLong nanos = new AtomicLong();
    private EventLoopGroup loops;
    private RawOrigin origin;

    @BeforeEach
    void start() {
        loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        origin = new RawOrigin(c -> {
            while (c.readHead() != null) c.ok("ok");
        });
    }

    @AfterEach
    void stop() throws Exception {
        origin.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private OriginClient client(Duration keepalive) {
        OriginConfig config = new OriginConfig(
                URI.create("http://127.0.0.1:" + origin.port()), null, null, null, null, null, null, null, keepalive);
        return new OriginClient(config, NioSocketChannel.class, new EdgeMetrics(new SimpleMeterRegistry()), nanos::get);
    }

    /**
     * One POST, returning once its connection is back in the pool: the response completes the future before the
     * loop pools the connection in the same task, so a task queued after it runs once that is done.
     */
    private static void post(OriginClient client, EventLoopGroup loops) throws Exception {
        OriginResponse r = client.send(new OriginRequest("POST", "/form", List.of(), new byte[0]), loops.next())
                .get(5, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
        loops.next().submit(() -> {}).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aConnectionIdleLessThanTheTimeoutIsReused() throws Exception {
        OriginClient client = client(Duration.ofSeconds(4));
        post(client, loops);
        nanos.addAndGet(Duration.ofSeconds(3).toNanos());
        post(client, loops);
        assertThat(origin.connections()).isEqualTo(1);
    }

    @Test
    void aConnectionIdleLongerThanTheTimeoutIsClosedNotReused() throws Exception {
        OriginClient client = client(Duration.ofSeconds(4));
        post(client, loops);
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        post(client, loops);
        assertThat(origin.connections()).isEqualTo(2);
    }

    @Test
    void zeroMeansEveryRequestGetsAFreshConnection() throws Exception {
        OriginClient client = client(Duration.ZERO);
        post(client, loops);
        post(client, loops);
        assertThat(origin.connections()).isEqualTo(2);
    }
}
