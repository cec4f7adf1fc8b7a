package dev.edgecache.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** From deploy flags to the {@code POST /deploys} body. */
class DeployCommandTest {
    @Test
    void criticalPagesAreSentInOrder() {
        DeployCommand c = Parsing.command(
                DeployCommand.class, "deploy", "--id", "v2", "--critical", "/", "--critical", "/alice/hello");
        assertThat(Json.write(c.body())).isEqualTo("{\"id\":\"v2\",\"critical\":[\"/\",\"/alice/hello\"]}");
    }

    @Test
    void criticalFromIsSentAsGiven() {
        DeployCommand c = Parsing.command(
                DeployCommand.class, "deploy", "--id", "v2", "--critical-from", "/_edge/critical?limit=50");
        assertThat(Json.write(c.body())).isEqualTo("{\"id\":\"v2\",\"critical-from\":\"/_edge/critical?limit=50\"}");
    }

    @Test
    void pollIntervalDefaultsToHalfASecond() {
        DeployCommand c = Parsing.command(DeployCommand.class, "deploy", "--id", "v2", "--critical", "/");
        assertThat(c.pollInterval).isEqualTo(Duration.ofMillis(500));
        assertThat(c.noWait).isFalse();
    }
}
