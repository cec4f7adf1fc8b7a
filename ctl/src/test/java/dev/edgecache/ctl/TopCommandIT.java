package dev.edgecache.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code ctl top} against a fake admin port serving canned {@code GET /metrics} text, on a fake clock. */
class TopCommandIT {
    private FakeAdminServer admin;
    private FakePacer pacer;
    private CtlRunner ctl;

    @BeforeEach
    void start() throws IOException {
        admin = FakeAdminServer.start();
        pacer = new FakePacer();
        ctl = CtlRunner.withEnv(Map.of("EDGE_ADMIN_URL", admin.url(), "EDGE_ADMIN_TOKEN", "s3cret"))
                .pacedBy(pacer);
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    @Test
    void onceShowsOneScreenComputedFromTwoReadingsOneSecondApart() {
        admin.answer("GET /metrics", 200, Metrics.text("before.txt"), Metrics.text("after.txt"));

        CtlRunner.Result r = ctl.run("top", "--once");

        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("""
                edge top  %s  deploy v2  every 1s (sampled 1.00s apart)

                requests 150.0/s  hit 85.7%%  memory 110.0/s  disk 10.0/s  stale 0.0/s  miss 20.0/s  pass 10.0/s  \
                errors 10.0/s  mean 5.0ms
                origin   10.0/s  errors 10.0/s  timeouts 0.0/s  held back 0.0/s  mean 25.0ms  p50 <=5.0ms  \
                p99 <=100.0ms  circuit closed
                purges   2.0/s  total 5  keys 12.0/s  keys total 52
                store    memory 1234 pages 12.0 MiB  disk 5000 pages 1.0 GiB
                process  heap 150.0 MiB  cpu 25.0%%

                ROUTE  REQ/S  HIT    MISS/S  PASS/S  ERR/S  MEAN
                post   100.0  90.0%%  10.0    0.0     0.0    5.0ms
                home   40.0   75.0%%  10.0    0.0     10.0   -
                login  10.0   -      0.0     10.0    0.0    -
                """.formatted(admin.url()));
        assertThat(admin.requests("GET", "/metrics"))
                .hasSize(2)
                .allSatisfy(req -> assertThat(req.authorization()).isEqualTo("Bearer s3cret"));
        assertThat(pacer.sleeps()).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void ratesUseTheTimeThatPassedAndTheStatsAliasWorks() {
        admin.answer("GET /metrics", 200, Metrics.text("before.txt"), Metrics.text("after.txt"));

        CtlRunner.Result r = ctl.run("stats", "--once", "--interval", "2s", "--routes", "1");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains("every 2s (sampled 2.00s apart)")
                .contains("requests 75.0/s  hit 85.7%")
                .contains("post   50.0")
                .doesNotContain("home   ")
                .endsWith("(2 more routes, raise --routes)\n");
        assertThat(pacer.sleeps()).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void onATerminalEachScreenIsRedrawnInPlace() {
        admin.answer(
                "GET /metrics", 200, Metrics.text("before.txt"), Metrics.text("after.txt"), Metrics.text("after.txt"));

        CtlRunner.Result r = ctl.onTerminal().run("top", "--count", "2");

        assertThat(r.exitCode()).isZero();
        String[] screens = r.out().split("\033\\[H", -1);
        assertThat(screens).hasSize(3); // nothing before the first cursor-home, then two screens
        assertThat(screens[0]).isEmpty();
        assertThat(screens[1]).contains("requests 150.0/s").contains("\033[K\n").endsWith("\033[J");
        assertThat(screens[2]).contains("requests 0.0/s  hit -").endsWith("\033[J"); // nothing moved
        assertThat(admin.requests("GET", "/metrics")).hasSize(3);
        assertThat(pacer.sleeps()).hasSize(2);
    }

    @Test
    void inAPipeScreensFollowOneAnotherWithoutEscapes() {
        admin.answer(
                "GET /metrics", 200, Metrics.text("before.txt"), Metrics.text("after.txt"), Metrics.text("after.txt"));

        CtlRunner.Result r = ctl.run("top", "--count", "2");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).doesNotContain("\033");
        assertThat(r.out().split("edge top  ", -1)).hasSize(3);
        assertThat(r.out()).contains("login  10.0   -      0.0     10.0    0.0    -\n\nedge top  ");
    }

    @Test
    void aTokenRefusedOnTheFirstReadingEndsWithExitFour() {
        admin.answer("GET /metrics", 401, "{\"error\":\"unauthorized\"}");

        CtlRunner.Result r = ctl.run("top", "--once");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNAUTHORIZED);
        assertThat(r.out()).isEmpty();
        assertThat(pacer.sleeps()).isEmpty();
    }

    @Test
    void anUnreachableAdminPortEndsWithExitThree() {
        String url = admin.url();
        admin.close();

        CtlRunner.Result r = ctl.run("top", "--once", "--admin-url", url);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err()).startsWith("ctl: cannot reach the admin port at " + url);
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(ctl.run("top", "--interval", "1ms").err()).contains("--interval must be at least 10ms");
        assertThat(ctl.run("top", "--count", "-1").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(ctl.run("top", "--routes", "0").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(ctl.run("top", "--json").err()).contains("top has no --json");
        assertThat(admin.requests()).isEmpty();
    }
}
