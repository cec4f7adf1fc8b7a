package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.testing.EdgeProcess;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10 through the built jar: reload from the file it started with, {@code --check}, {@code -V}. */
class OperationsIT {
    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    Path dir;

    private Path write(String routes) throws IOException {
        return EdgeProcess.writeConfig(dir.resolve("edge.yaml"), origin.getPort(), dir.resolve("store"), routes);
    }

    private static String cacheStatus(EdgeProcess edge, String path) {
        return Http.get(edge.port, path).headers().firstValue("Cache-Status").orElse("");
    }

    private static java.net.http.HttpResponse<String> reload(EdgeProcess edge) {
        return Http.send(
                java.net.http.HttpRequest.newBuilder(Http.uri(edge.adminPort, "/reload"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")),
                "Authorization",
                "Bearer " + EdgeProcess.TOKEN);
    }

    @Test
    void reloadAddsARouteChangesATtlAndRefusesABrokenFileKeepingTheOldRoutes() throws Exception {
        origin.stubFor(get(urlPathMatching("/.*")).willReturn(ok("page")));
        Path file = write("- {match: \"/{user}/posts\", mode: ttl, ttl: 1s}");
        try (EdgeProcess edge = EdgeProcess.start(file, dir.resolve("edge.log"))) {
            assertThat(cacheStatus(edge, "/alice/hello")).isEqualTo("edge; fwd=bypass"); // no route: passed

            write("""
                    - {match: "/{user}/posts", mode: ttl, ttl: 1h}
                    - {match: "/{user}/{slug}", mode: persistent}
                    """);
            var ok = reload(edge);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("\"routes\":2").contains("\"restart-needed-for\":[]");
            assertThat(cacheStatus(edge, "/alice/hello")).isEqualTo("edge; fwd=miss; stored");
            assertThat(cacheStatus(edge, "/alice/hello")).isEqualTo("edge; hit");
            cacheStatus(edge, "/alice/posts"); // stored under the reloaded ttl
            var info = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(Http.get(
                                    edge.adminPort,
                                    "/keys/info?url=/alice/posts",
                                    "Authorization",
                                    "Bearer " + EdgeProcess.TOKEN)
                            .body());
            assertThat(info.get("expires-at").asLong() - info.get("stored-at").asLong())
                    .isEqualTo(3_600_000L);

            Files.writeString(file, Files.readString(file).replace("ttl: 1h", "ttl: sometimes"));
            var refused = reload(edge);
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains(file + ":").contains("routes[0].ttl");
            assertThat(cacheStatus(edge, "/alice/hello")).isEqualTo("edge; hit"); // the old routes stay
        }
    }

    @Test
    void checkValidatesWithoutBindingAndWarnsAboutRoutesThatCanNeverMatch() throws Exception {
        Path file = write("""
                - {match: "/{user}/{slug}", mode: persistent}
                - {match: "/{user}/posts", mode: ttl, ttl: 60s}
                """);
        Process p = check(file);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(out)
                .contains("warning: " + file + ": routes[1] /{user}/posts can never match")
                .contains(file + " is valid: 2 routes");
        assertThat(dir.resolve("store")).doesNotExist(); // nothing opened, nothing bound

        Files.writeString(file, Files.readString(file).replace("ttl: 60s", "ttl: sometimes"));
        Process bad = check(file);
        String badOut = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.exitValue()).isEqualTo(2);
        assertThat(badOut).contains(file + ":").contains("routes[1].ttl");
    }

    @Test
    void dashVPrintsTheVersion() throws Exception {
        Process p = java(List.of("-V"));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(out).matches("(?s)edge \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?, Java .*");
    }

    private static Process check(Path file) throws IOException {
        return java(List.of("--check", "--config", file.toString()));
    }

    private static Process java(List<String> args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                EdgeProcess.JAR.toString()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }
}
