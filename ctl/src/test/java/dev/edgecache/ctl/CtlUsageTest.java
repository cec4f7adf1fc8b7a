package dev.edgecache.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Argument handling: every usage error exits 2 with a message, before any admin call is made. */
class CtlUsageTest {
    private final CtlRunner ctl = CtlRunner.plain();

    @Test
    void noCommandIsAUsageError() {
        CtlRunner.Result r = ctl.run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Missing command").contains("purge").contains("See 'ctl --help'");
    }

    @Test
    void helpListsEveryCommandAndExitsZero() {
        CtlRunner.Result r = ctl.run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("purge", "deploy", "rollback", "deploys", "inspect", "keys", "EDGE_ADMIN_URL");
    }

    @Test
    void subcommandHelpShowsTheGlobalOptions() {
        CtlRunner.Result r = ctl.run("inspect", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--admin-url", "--token", "--timeout", "--json");
    }

    @Test
    void misspeltCommandGetsASuggestion() {
        CtlRunner.Result r = ctl.run("purg", "--all");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("purge");
    }

    @Test
    void purgeNeedsSomethingToPurge() {
        CtlRunner.Result r = ctl.run("purge");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--url", "--prefix", "--tag", "--all").contains("See 'ctl purge --help'");
    }

    @Test
    void purgeTakesOnlyOneKindPerCall() {
        CtlRunner.Result r = ctl.run("purge", "--tag", "user:alice", "--url", "/alice/hello");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("ctl: --url=PATH, --tag=TAG are mutually exclusive");
    }

    @Test
    void deployNeedsAnId() {
        assertThat(ctl.run("deploy", "--critical", "/").exitCode()).isEqualTo(2);
    }

    @Test
    void deployNeedsCriticalPagesFromExactlyOneSource() {
        assertThat(ctl.run("deploy", "--id", "v2").exitCode()).isEqualTo(2);
        assertThat(ctl.run("deploy", "--id", "v2", "--critical", "/", "--critical-from", "/_edge/critical")
                        .exitCode())
                .isEqualTo(2);
    }

    @Test
    void rollbackNeedsADeployId() {
        assertThat(ctl.run("rollback").exitCode()).isEqualTo(2);
    }

    @Test
    void timeoutUsesTheConfigDurationSyntax() {
        CtlRunner.Result r = ctl.run("purge", "--all", "--timeout", "5 seconds");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("expected a duration like 500ms");
    }

    @Test
    void adminUrlMustBeHttp() {
        CtlRunner.Result r = ctl.run("purge", "--all", "--admin-url", "ftp://127.0.0.1:9090");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--admin-url must be an http(s) base URL");
    }

    @Test
    void badAdminUrlFromTheEnvironmentIsNamedAsSuch() {
        CtlRunner.Result r =
                CtlRunner.withEnv(Map.of("EDGE_ADMIN_URL", "127.0.0.1:9090")).run("deploys");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("EDGE_ADMIN_URL must be an http(s) base URL");
    }

    @Test
    void tokenAndTokenFileTogetherAreAUsageError() {
        CtlRunner.Result r = ctl.run("deploys", "--token", "t", "--token-file", "/nonexistent");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--token or --token-file, not both").doesNotContain(" t ");
    }

    @Test
    void unreadableTokenFileIsAUsageError() {
        CtlRunner.Result r = ctl.run("deploys", "--token-file", "/nonexistent/edge-token");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("cannot read --token-file /nonexistent/edge-token");
    }

    @Test
    void keysLimitMustBePositive() {
        CtlRunner.Result r = ctl.run("keys", "--limit", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--limit must be positive, got 0");
    }

    @Test
    void waitingOnDeploysNeedsAnId() {
        CtlRunner.Result r = ctl.run("deploys", "--wait");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--wait needs a deploy ID");
    }
}
