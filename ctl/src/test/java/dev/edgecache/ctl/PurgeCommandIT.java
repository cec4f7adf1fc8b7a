package dev.edgecache.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code ctl purge} against a fake admin port over a real socket. */
class PurgeCommandIT {
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
    void purgeByTagPostsTheTagsWithTheBearerToken() {
        admin.answer("POST /purge", 200, "{\"purged\":12}");

        CtlRunner.Result r = ctl.run("purge", "--tag", "user:alice", "--tag", "post:hello");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("purged 12 keys\n");
        assertThat(admin.requests()).singleElement().satisfies(req -> {
            assertThat(req.method()).isEqualTo("POST");
            assertThat(req.uri()).isEqualTo("/purge");
            assertThat(req.body()).isEqualTo("{\"tags\":[\"user:alice\",\"post:hello\"]}");
            assertThat(req.authorization()).isEqualTo("Bearer s3cret");
            assertThat(req.contentType()).isEqualTo("application/json");
        });
    }

    @Test
    void softPurgeOfAPrefixSaysTheKeysWereMarkedStale() {
        admin.answer("POST /purge", 200, "{\"purged\":3}");

        CtlRunner.Result r = ctl.run("purge", "--prefix", "/alice/", "--soft");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("marked 3 keys stale\n");
        assertThat(admin.requests().getFirst().body()).isEqualTo("{\"prefixes\":[\"/alice/\"],\"soft\":true}");
    }

    @Test
    void dryRunListsTheKeysThatWouldGo() {
        admin.answer("POST /purge", 200, "{\"purged\":2,\"keys\":[\"/alice/hello\",\"/alice/posts\"]}");

        CtlRunner.Result r = ctl.run("purge", "--all", "--dry-run");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("dry run: would purge 2 keys\n  /alice/hello\n  /alice/posts\n");
        assertThat(admin.requests().getFirst().body()).isEqualTo("{\"all\":true,\"dry-run\":true}");
    }

    @Test
    void jsonPrintsTheRawAnswer() {
        admin.answer("POST /purge", 200, "{\"purged\":1}");

        CtlRunner.Result r = ctl.run("purge", "--url", "/alice/hello", "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("{\"purged\":1}\n");
    }

    @Test
    void flagsOverrideTheEnvironment() throws IOException {
        try (FakeAdminServer other = FakeAdminServer.start()) {
            other.answer("POST /purge", 200, "{\"purged\":0}");

            CtlRunner.Result r = ctl.run("purge", "--all", "--admin-url", other.url(), "--token", "other-token");

            assertThat(r.exitCode()).isZero();
            assertThat(admin.requests()).isEmpty();
            assertThat(other.requests())
                    .singleElement()
                    .satisfies(req -> assertThat(req.authorization()).isEqualTo("Bearer other-token"));
        }
    }
}
