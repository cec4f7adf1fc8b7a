package dev.edgecache.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ctl deploy} against a fake admin port whose {@code GET /deploys/v2} answers step by step, so the watch
 * sees every state without any timing (the poll interval is 0ms).
 */
class DeployCommandIT {
    private static final String STARTED =
            "{\"id\":\"v2\",\"state\":\"rendering\",\"done\":0,\"total\":3,\"failures\":0}";

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

    private CtlRunner.Result deploy(CtlRunner runner, String... more) {
        String[] base = {
            "deploy", "--id", "v2", "--critical", "/", "--critical", "/alice/hello", "--poll-interval", "0ms"
        };
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return runner.run(args);
    }

    @Test
    void deployThatRendersThenActivatesShowsProgressAndExitsZero() {
        admin.answer("POST /deploys", 202, STARTED);
        admin.answer(
                "GET /deploys/v2",
                200,
                "{\"id\":\"v2\",\"state\":\"rendering\",\"done\":1,\"total\":3,\"failures\":0}",
                "{\"id\":\"v2\",\"state\":\"rendering\",\"done\":2,\"total\":3,\"failures\":0}",
                "{\"id\":\"v2\",\"state\":\"active\",\"done\":3,\"total\":3,\"failures\":0}");

        CtlRunner.Result r = deploy(ctl);

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("deploy v2 is active: 3/3 critical pages rendered, 0 failures\n");
        assertThat(r.err().lines().toList())
                .containsExactly(
                        "v2 rendering [" + ".".repeat(30) + "] 0/3 failures 0",
                        "v2 rendering [" + "#".repeat(10) + ".".repeat(20) + "] 1/3 failures 0",
                        "v2 rendering [" + "#".repeat(20) + ".".repeat(10) + "] 2/3 failures 0",
                        "v2 active [" + "#".repeat(30) + "] 3/3 failures 0");
        assertThat(admin.requests("POST", "/deploys")).singleElement().satisfies(req -> {
            assertThat(req.body()).isEqualTo("{\"id\":\"v2\",\"critical\":[\"/\",\"/alice/hello\"]}");
            assertThat(req.authorization()).isEqualTo("Bearer s3cret");
        });
        assertThat(admin.requests("GET", "/deploys/v2"))
                .hasSize(3)
                .allSatisfy(req -> assertThat(req.authorization()).isEqualTo("Bearer s3cret"));
    }

    @Test
    void deployThatFailsPrintsTheReasonAndTheFailedPagesAndExitsNonZero() {
        admin.answer("POST /deploys", 202, STARTED);
        admin.answer(
                "GET /deploys/v2",
                200,
                "{\"id\":\"v2\",\"state\":\"rendering\",\"done\":2,\"total\":3,\"failures\":1}",
                """
                {"id":"v2","state":"failed","done":3,"total":3,"failures":2,
                 "reason":"2 of 3 critical pages failed, more than the allowed 10%",
                 "errors":[{"url":"/alice/hello","reason":"origin answered 500"},{"url":"/","reason":"origin timeout"}]}
                """);

        CtlRunner.Result r = deploy(ctl);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.DEPLOY_NOT_ACTIVE).isNotZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .contains("v2 failed [")
                .contains("deploy v2 did not become active (state failed): 3/3 critical pages rendered, 2 failures")
                .contains("reason: 2 of 3 critical pages failed, more than the allowed 10%")
                .contains("  /alice/hello  origin answered 500\n")
                .contains("  /             origin timeout\n");
    }

    @Test
    void activeDeployStillListsThePagesThatFailed() {
        admin.answer("POST /deploys", 202, STARTED);
        admin.answer("GET /deploys/v2", 200, """
                {"id":"v2","state":"active","done":3,"total":3,"failures":1,
                 "errors":[{"url":"/alice/hello","reason":"origin answered 500"}]}
                """);

        CtlRunner.Result r = deploy(ctl);

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("deploy v2 is active: 3/3 critical pages rendered, 1 failure");
        assertThat(r.err()).contains("failed pages:\n  /alice/hello  origin answered 500");
    }

    @Test
    void onATerminalProgressIsOneLineRedrawnInPlace() {
        admin.answer("POST /deploys", 202, STARTED);
        admin.answer(
                "GET /deploys/v2", 200, "{\"id\":\"v2\",\"state\":\"active\",\"done\":3,\"total\":3,\"failures\":0}");

        CtlRunner.Result r = deploy(ctl.onTerminal());

        assertThat(r.exitCode()).isZero();
        assertThat(r.err())
                .startsWith("\rv2 rendering [")
                .contains("\rv2 active [")
                .endsWith(System.lineSeparator());
        assertThat(r.err()).containsOnlyOnce("\n");
    }

    @Test
    void criticalFromIsPassedToTheAdminPort() {
        admin.answer("POST /deploys", 202, STARTED);
        admin.answer(
                "GET /deploys/v2", 200, "{\"id\":\"v2\",\"state\":\"active\",\"done\":3,\"total\":3,\"failures\":0}");

        CtlRunner.Result r = ctl.run(
                "deploy", "--id", "v2", "--critical-from", "/_edge/critical?limit=50", "--poll-interval", "0ms");

        assertThat(r.exitCode()).isZero();
        assertThat(admin.requests("POST", "/deploys").getFirst().body())
                .isEqualTo("{\"id\":\"v2\",\"critical-from\":\"/_edge/critical?limit=50\"}");
    }

    @Test
    void noWaitReturnsRightAfterTheDeployStarts() {
        admin.answer("POST /deploys", 202, STARTED);

        CtlRunner.Result r = deploy(ctl, "--no-wait");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("deploy v2 started: rendering 0/3").contains("ctl deploys v2 --wait");
        assertThat(admin.requests()).hasSize(1);
    }

    @Test
    void jsonPrintsTheFinalStatusAsReceived() {
        String active = "{\"id\":\"v2\",\"state\":\"active\",\"done\":3,\"total\":3,\"failures\":0}";
        admin.answer("POST /deploys", 202, STARTED);
        admin.answer("GET /deploys/v2", 200, active);

        CtlRunner.Result r = deploy(ctl, "--json");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo(active + "\n");
    }

    @Test
    void existingDeployIdShowsTheServersMessage() {
        admin.answer("POST /deploys", 409, "{\"error\":\"deploy v2 already exists\"}");

        CtlRunner.Result r = deploy(ctl);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("ctl: deploy v2 already exists");
        assertThat(admin.requests("GET", "/deploys/v2")).isEmpty();
    }

    @Test
    void adminPortGoingAwayMidWatchEndsTheProgressLineBeforeTheError() {
        admin.answer("POST /deploys", 202, STARTED);
        admin.answer("GET /deploys/v2", 500, "{\"error\":\"store closed\"}");

        CtlRunner.Result r = deploy(ctl.onTerminal());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains(System.lineSeparator() + "ctl: store closed (GET /deploys/v2 answered 500)");
    }
}
