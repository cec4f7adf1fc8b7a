package dev.edgecache.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code ctl cluster} against a fake admin port. */
class ClusterCommandIT {
    private FakeAdminServer admin;
    private CtlRunner ctl;

    @BeforeEach
    void start() throws IOException {
        admin = FakeAdminServer.start();
        ctl = CtlRunner.withEnv(Map.of("EDGE_ADMIN_URL", admin.url(), "EDGE_ADMIN_TOKEN", "s3cret"));
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    @Test
    void membersAreListedAsATableWithTheAnsweringNodeMarked() {
        admin.answer("GET /cluster", 200, """
                {"node":"edge-b","position":"17-0","members":[
                  {"id":"edge-a","peer":"10.0.0.1:7080","deploy":"v2","position":"17-0","lag":0,"seen":"2026-12-05T16:00:00Z"},
                  {"id":"edge-b","peer":"10.0.0.2:7080","deploy":"v2","position":"12-3","lag":4,"seen":"2026-12-05T16:00:01Z"}]}
                """);

        CtlRunner.Result r = ctl.run("cluster");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                NODE      PEER           DEPLOY  POSITION  LAG  SEEN
                edge-a    10.0.0.1:7080  v2      17-0      0    2026-12-05T16:00:00Z
                edge-b *  10.0.0.2:7080  v2      12-3      4    2026-12-05T16:00:01Z
                """);
        assertThat(admin.requests()).singleElement().satisfies(req -> {
            assertThat(req.method()).isEqualTo("GET");
            assertThat(req.authorization()).isEqualTo("Bearer s3cret");
        });
    }

    @Test
    void aSingleNodeOrRedisDownShowsTheServersMessage() {
        admin.answer("GET /cluster", 503, "{\"error\":\"cluster: cannot list the cluster members (Redis down)\"}");

        CtlRunner.Result r = ctl.run("cluster");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("cannot list the cluster members").contains("503");
    }

    @Test
    void jsonPrintsTheAnswerAsIs() {
        admin.answer("GET /cluster", 200, "{\"node\":\"edge-a\",\"members\":[]}");

        CtlRunner.Result r = ctl.run("cluster", "--json");

        assertThat(r.out()).isEqualTo("{\"node\":\"edge-a\",\"members\":[]}\n");
    }
}
