package dev.edgecache.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class OriginMainTest {
    @TempDir
    Path dir;

    private int run(String... args) {
        return new CommandLine(new OriginMain()).execute(args);
    }

    @Test
    void badConfigExitsWithCode2AndNamesFileLineAndKey() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "seed-demo: true\nlisten: nowhere\n");
        PrintStream err = System.err;
        var captured = new java.io.ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(run("--config", bad.toString())).isEqualTo(2);
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8))
                .startsWith(bad + ":2:")
                .contains("listen: expected host:port");
    }

    @Test
    void missingConfigAndUnknownRendererAndBadOptionsExitWith2() throws Exception {
        PrintStream err = System.err;
        System.setErr(new PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            assertThat(run("--config", dir.resolve("absent.yaml").toString())).isEqualTo(2);
            Path unknown = Files.writeString(
                    dir.resolve("r.yaml"), "data: " + dir.resolve("d") + "\nrenderers:\n" + "  /x/**: nothing\n");
            assertThat(run("--config", unknown.toString())).isEqualTo(2);
            assertThat(Files.exists(dir.resolve("d"))).isFalse(); // refused before anything was created
            assertThat(run("--no-such-option")).isEqualTo(2);
        } finally {
            System.setErr(err);
        }
    }
}
