package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.testing.EdgeProcess;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The built jar as a process: start-up, bad config, SIGTERM, and pages surviving {@code kill -9}. */
class EdgeProcessIT {
    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    Path dir;

    private Path config() throws IOException {
        return EdgeProcess.writeConfig(
                dir.resolve("edge.yaml"),
                origin.getPort(),
                dir.resolve("store"),
                "- {match: \"/{user}/{slug}\", mode: persistent}");
    }

    @Test
    void pagesStoredBeforeAKill9AreServedAfterItWithoutTheOrigin() throws Exception {
        origin.stubFor(get("/alice/hello").willReturn(ok("hello")));
        Path cfg = config();
        try (EdgeProcess edge = EdgeProcess.start(cfg, dir.resolve("run1.log"))) {
            assertThat(edge.output()).contains("edge.listen edge=127.0.0.1:").contains("edge.config file=");
            assertThat(Http.get(edge.port, "/alice/hello").headers().firstValue("Cache-Status"))
                    .contains("edge; fwd=miss; stored");
            edge.kill9();
        }
        try (EdgeProcess edge = EdgeProcess.start(cfg, dir.resolve("run2.log"))) {
            HttpResponse<String> r = Http.get(edge.port, "/alice/hello");
            assertThat(r.body()).isEqualTo("hello");
            assertThat(r.headers().firstValue("Cache-Status")).contains("edge; hit");
            assertThat(edge.terminate()).as("SIGTERM exit code").isEqualTo(143);
            assertThat(edge.output()).contains("edge.stop");
        }
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/hello")));
    }

    @Test
    void aBadConfigExitsWith2NamingFileLineAndKey() throws Exception {
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, """
                origin:
                  url: http://127.0.0.1:1
                routes:
                  - match: /a
                    mode: ttl
                    ttl: sometimes
                """);
        Process p = EdgeProcess.command(cfg).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains(cfg + ":6:").contains("routes[0].ttl").contains("expected a duration");
    }
}
