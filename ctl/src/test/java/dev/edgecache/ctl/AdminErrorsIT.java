package dev.edgecache.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an operator sees when the admin port cannot be reached, refuses the token, or fails. */
class AdminErrorsIT {
    @Test
    void wrongTokenExitsFourWithAHintAndNeverPrintsTheToken() throws IOException {
        try (FakeAdminServer admin = FakeAdminServer.start()) {
            admin.answer("GET /deploys", 401, "{\"error\":\"missing or wrong bearer token\"}");

            CtlRunner.Result r =
                    CtlRunner.plain().run("deploys", "--admin-url", admin.url(), "--token", "wrong-s3cret");

            assertThat(r.exitCode()).isEqualTo(4);
            assertThat(r.err()).isEqualTo("ctl: the admin token was refused (set --token or EDGE_ADMIN_TOKEN)\n");
            assertThat(r.out() + r.err()).doesNotContain("wrong-s3cret");
        }
    }

    @Test
    void missingTokenSendsNoAuthorizationAndSaysNoneWasGiven() throws IOException {
        try (FakeAdminServer admin = FakeAdminServer.start()) {
            admin.answer("POST /purge", 401, "{\"error\":\"missing or wrong bearer token\"}");

            CtlRunner.Result r =
                    CtlRunner.withEnv(Map.of("EDGE_ADMIN_URL", admin.url())).run("purge", "--all");

            assertThat(r.exitCode()).isEqualTo(4);
            assertThat(r.err())
                    .contains("the admin token was refused (set --token or EDGE_ADMIN_TOKEN) (none was given)");
            assertThat(admin.requests())
                    .singleElement()
                    .satisfies(req -> assertThat(req.authorization()).isNull());
        }
    }

    @Test
    void closedAdminPortExitsThreeNamingTheUrl() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort(); // closed again before ctl connects: nothing listens there
        }
        String url = "http://127.0.0.1:" + port;

        CtlRunner.Result r = CtlRunner.plain().run("deploys", "--admin-url", url, "--token", "s3cret");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("ctl: cannot reach the admin port at " + url + ": connection refused\n");
        assertThat(r.err()).doesNotContain("s3cret");
    }

    @Test
    void adminPortThatNeverAnswersTimesOutWithExitThree() throws IOException {
        // the kernel completes the TCP handshake from the backlog; nobody ever reads or answers
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + silent.getLocalPort();

            CtlRunner.Result r = CtlRunner.plain().run("deploys", "--admin-url", url, "--timeout", "200ms");

            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.err())
                    .isEqualTo("ctl: the admin port at " + url + " did not answer GET /deploys within 200ms\n");
        }
    }

    @Test
    void serverErrorWithoutJsonShowsTheStatusAndAnExcerpt() throws IOException {
        try (FakeAdminServer admin = FakeAdminServer.start()) {
            admin.answer("GET /deploys", 502, "<html><body>Bad Gateway</body></html>");

            CtlRunner.Result r = CtlRunner.plain().run("deploys", "--admin-url", admin.url());

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err())
                    .isEqualTo(
                            "ctl: no error message: <html><body>Bad Gateway</body></html> (GET /deploys answered 502)\n");
        }
    }

    @Test
    void badInputShowsTheServersMessage() throws IOException {
        try (FakeAdminServer admin = FakeAdminServer.start()) {
            admin.answer("POST /purge", 400, "{\"error\":\"prefixes[0] must start with /\"}");

            CtlRunner.Result r = CtlRunner.plain().run("purge", "--prefix", "alice", "--admin-url", admin.url());

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).startsWith("ctl: prefixes[0] must start with /");
        }
    }

    @Test
    void answerThatIsNotTheExpectedJsonIsReportedNotThrown() throws IOException {
        try (FakeAdminServer admin = FakeAdminServer.start()) {
            admin.answer("GET /deploys", 200, "not json");

            CtlRunner.Result r = CtlRunner.plain().run("deploys", "--admin-url", admin.url());

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).startsWith("ctl: the admin port's answer to GET /deploys is not the JSON ctl expects");
        }
    }
}
