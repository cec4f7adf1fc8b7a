package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.config.RouteMode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private final RouteTable table = new RouteTable(List.of(
            RouteConfig.of("/login", RouteMode.PASS, null),
            RouteConfig.of("/{user}/posts", RouteMode.TTL, Duration.ofSeconds(60)),
            RouteConfig.of("/{user}/{slug}", RouteMode.PERSISTENT, null)));

    @Test
    void firstMatchWins() {
        assertThat(table.match("/alice/posts").mode()).isEqualTo(RouteMode.TTL);
        assertThat(table.match("/alice/hello").mode()).isEqualTo(RouteMode.PERSISTENT);
        assertThat(table.match("/login").mode()).isEqualTo(RouteMode.PASS);
    }

    @Test
    void unmatchedPathsGetTheDefaultPassRouteLast() {
        Route r = table.match("/a/b/c");
        assertThat(r.name()).isEqualTo(RouteTable.DEFAULT_ROUTE_NAME);
        assertThat(r.mode()).isEqualTo(RouteMode.PASS);
        assertThat(r.index()).isEqualTo(3);
        assertThat(table.names()).containsExactly("/login", "/{user}/posts", "/{user}/{slug}", "default");
    }
}
