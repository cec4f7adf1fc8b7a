package dev.edgecache.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Where the admin URL, token and timeout come from: flags, then the environment, then the defaults. */
class GlobalOptionsTest {
    private static AdminTarget target(Map<String, String> env, String... args) {
        CtlContext ctx = new CtlContext(
                env::get, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false);
        CommandLine cl = EdgeCtl.commandLine(ctx);
        CommandLine.ParseResult parsed = cl.parseArgs(args);
        AdminCommand command = (AdminCommand) parsed.subcommand().commandSpec().userObject();
        return command.options.target(ctx.env());
    }

    @Test
    void defaultsToTheLocalAdminPortWithNoToken() {
        AdminTarget t = target(Map.of(), "deploys");
        assertThat(t.baseUrl()).hasToString("http://127.0.0.1:9090");
        assertThat(t.token()).isNull();
        assertThat(t.timeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void environmentGivesUrlAndToken() {
        AdminTarget t =
                target(Map.of("EDGE_ADMIN_URL", "http://10.0.0.5:9191", "EDGE_ADMIN_TOKEN", "from-env"), "deploys");
        assertThat(t.baseUrl()).hasToString("http://10.0.0.5:9191");
        assertThat(t.token()).isEqualTo("from-env");
    }

    @Test
    void flagsWinOverTheEnvironment() {
        AdminTarget t = target(
                Map.of("EDGE_ADMIN_URL", "http://10.0.0.5:9191", "EDGE_ADMIN_TOKEN", "from-env"),
                "deploys",
                "--admin-url",
                "http://127.0.0.1:7000",
                "--token",
                "from-flag",
                "--timeout",
                "250ms");
        assertThat(t.baseUrl()).hasToString("http://127.0.0.1:7000");
        assertThat(t.token()).isEqualTo("from-flag");
        assertThat(t.timeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void trailingSlashesAreDroppedAndAPathPrefixIsKept() {
        AdminTarget t = target(Map.of(), "deploys", "--admin-url", "https://ops.example/edge-admin//");
        assertThat(t.resolve("/deploys")).hasToString("https://ops.example/edge-admin/deploys");
    }

    @Test
    void blankEnvironmentValuesCountAsUnset() {
        AdminTarget t = target(Map.of("EDGE_ADMIN_URL", " ", "EDGE_ADMIN_TOKEN", ""), "deploys");
        assertThat(t.baseUrl()).hasToString(GlobalOptions.DEFAULT_ADMIN_URL);
        assertThat(t.token()).isNull();
    }

    @Test
    void tokenFileIsReadWithoutItsNewline(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("admin-token"), "s3cret\n");
        AdminTarget t = target(Map.of("EDGE_ADMIN_TOKEN", "from-env"), "deploys", "--token-file", file.toString());
        assertThat(t.token()).isEqualTo("s3cret");
    }

    @Test
    void toStringNeverShowsTheToken() {
        AdminTarget t = target(Map.of(), "deploys", "--token", "s3cret");
        assertThat(t.toString()).doesNotContain("s3cret").contains("<hidden>");
    }
}
