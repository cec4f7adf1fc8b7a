package dev.edgecache.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code ctl rollback}, {@code reload}, {@code deploys}, {@code inspect} and {@code keys} against a fake admin port. */
class InspectionCommandsIT {
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
    void rollbackActivatesTheNamedDeploy() {
        admin.answer("POST /deploys/v1/activate", 200, "{\"id\":\"v1\",\"state\":\"active\"}");

        CtlRunner.Result r = ctl.run("rollback", "v1");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("deploy v1 is active\n");
        assertThat(admin.requests()).singleElement().satisfies(req -> {
            assertThat(req.method()).isEqualTo("POST");
            assertThat(req.body()).isEqualTo("{}");
            assertThat(req.authorization()).isEqualTo("Bearer s3cret");
        });
    }

    @Test
    void rollbackToAnUnknownDeployShowsTheServersMessage() {
        admin.answer("POST /deploys/v0/activate", 404, "{\"error\":\"no retained deploy v0\"}");

        CtlRunner.Result r = ctl.run("rollback", "v0");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("ctl: no retained deploy v0 (POST /deploys/v0/activate answered 404)\n");
    }

    @Test
    void reloadSaysHowManyRoutesAndWhatNeedsARestart() {
        admin.answer("POST /reload", 200, "{\"routes\":4,\"restart-needed-for\":[\"limits\",\"origin\"]}");

        CtlRunner.Result r = ctl.run("reload");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("reloaded: 4 routes\nchanged, needs a restart: limits, origin\n");
        assertThat(admin.requests())
                .singleElement()
                .satisfies(req -> assertThat(req.method()).isEqualTo("POST"));
    }

    @Test
    void reloadSaysWhatBecameOfTheTlsCertificates() {
        admin.answer(
                "POST /reload",
                200,
                "{\"routes\":2,\"restart-needed-for\":[],\"tls\":\"refused: tls.certificates[0].cert: x.crt: certificate"
                        + " expired\",\"admin-tls\":\"reloaded\"}");

        CtlRunner.Result r = ctl.run("reload");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .isEqualTo("reloaded: 2 routes\ntls certificates: refused: tls.certificates[0].cert: x.crt: certificate"
                        + " expired\nadmin tls certificates: reloaded\n");
    }

    @Test
    void aRefusedReloadShowsTheFileLineAndKey() {
        admin.answer("POST /reload", 400, "{\"error\":\"conf/edge.yaml:6:20 routes[0].mode: unknown mode\"}");

        CtlRunner.Result r = ctl.run("reload");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("ctl: conf/edge.yaml:6:20 routes[0].mode: unknown mode");
    }

    @Test
    void deploysAreListedAsATable() {
        admin.answer("GET /deploys", 200, """
                {"deploys":[{"id":"v2","state":"active","pages":120,"active":true},
                            {"id":"v1","state":"retained","pages":118,"active":false}]}
                """);

        CtlRunner.Result r = ctl.run("deploys");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("""
                ID  STATE     PAGES  ACTIVE
                v2  active    120    *
                v1  retained  118
                """);
        assertThat(admin.requests())
                .singleElement()
                .satisfies(req -> assertThat(req.method()).isEqualTo("GET"));
    }

    @Test
    void deploysWithAnIdShowsItsProgress() {
        admin.answer(
                "GET /deploys/v3",
                200,
                "{\"id\":\"v3\",\"state\":\"rendering\",\"done\":45,\"total\":100,\"failures\":1}");

        CtlRunner.Result r = ctl.run("deploys", "v3");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("state     rendering\n").contains("rendered  45/100\n");
    }

    @Test
    void deploysWaitFollowsADeployStartedWithNoWait() {
        admin.answer(
                "GET /deploys/v3",
                200,
                "{\"id\":\"v3\",\"state\":\"rendering\",\"done\":1,\"total\":2,\"failures\":0}",
                "{\"id\":\"v3\",\"state\":\"active\",\"done\":2,\"total\":2,\"failures\":0}");

        CtlRunner.Result r = ctl.run("deploys", "v3", "--wait", "--poll-interval", "0ms");

        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).contains("v3 rendering [").contains("v3 active [");
        assertThat(r.out()).contains("deploy v3 is active");
    }

    @Test
    void inspectShowsTheKeyInfo() {
        admin.answer("GET /keys/info?url=/alice/hello", 200, """
                {"url":"/alice/hello","deploy":"v1","status":200,"state":"fresh",
                 "stored-at":"2026-11-27T10:00:00Z","expires-at":"2026-11-27T10:01:00Z",
                 "tags":["user:alice"],"size":512,"etag":"\\"abc\\""}
                """);

        CtlRunner.Result r = ctl.run("inspect", "/alice/hello");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains(
                        "deploy      v1\n",
                        "state       fresh\n",
                        "expires-at  2026-11-27T10:01:00Z\n",
                        "tags        user:alice\n",
                        "etag        \"abc\"\n");
        assertThat(admin.requests())
                .singleElement()
                .satisfies(req -> assertThat(req.authorization()).isEqualTo("Bearer s3cret"));
    }

    @Test
    void inspectAndKeysCanLookIntoARetainedDeploy() {
        admin.answer(
                "GET /keys/info?url=/alice/hello&deploy=v1",
                200,
                "{\"url\":\"/alice/hello\",\"deploy\":\"v1\",\"status\":200}");
        admin.answer("GET /keys?prefix=/&limit=100&deploy=v1", 200, "{\"deploy\":\"v1\",\"keys\":[\"/alice/hello\"]}");

        assertThat(ctl.run("inspect", "/alice/hello", "--deploy", "v1").out()).contains("deploy      v1\n");
        assertThat(ctl.run("keys", "--deploy", "v1").out()).isEqualTo("/alice/hello\n");
    }

    @Test
    void inspectingAPageThatIsNotStoredShowsTheServersMessage() {
        admin.answer("GET /keys/info?url=/nobody", 404, "{\"error\":\"not stored: /nobody\"}");

        CtlRunner.Result r = ctl.run("inspect", "/nobody");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("ctl: not stored: /nobody");
    }

    @Test
    void keysArePrintedOnePerLineWithTheSummaryOnStderr() {
        admin.answer(
                "GET /keys?prefix=/alice/&limit=2",
                200,
                "{\"deploy\":\"v1\",\"keys\":[\"/alice/hello\",\"/alice/posts\"],\"truncated\":true}");

        CtlRunner.Result r = ctl.run("keys", "--prefix", "/alice/", "--limit", "2");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("/alice/hello\n/alice/posts\n");
        assertThat(r.err()).isEqualTo("2 keys under /alice/ in deploy v1; more exist, raise --limit\n");
    }

    @Test
    void keysDefaultToEverythingUpToAHundred() {
        admin.answer("GET /keys?prefix=/&limit=100", 200, "{\"deploy\":\"v1\",\"keys\":[],\"truncated\":false}");

        CtlRunner.Result r = ctl.run("keys", "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("{\"deploy\":\"v1\",\"keys\":[],\"truncated\":false}\n");
    }
}
