package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.common.testing.FakeClock;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.TestEdge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10: one access-log line per reader request, in the configured format, in the configured file. */
class AccessLogIT {
    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    Path dir;

    private List<String> logLines(String format, Path log) throws Exception {
        origin.stubFor(get("/alice/hello").willReturn(ok("hello")));
        origin.stubFor(get("/login").willReturn(ok("form")));
        origin.stubFor(get("/alice/gone").willReturn(notFound()));
        var config = TestEdge.config(
                origin.getPort(),
                dir.resolve("store"),
                TestEdge.DEFAULT_ROUTES,
                "access-log: {format: %s, path: %s}".formatted(format, log));
        try (EdgeServer edge = EdgeServer.start(config, new FakeClock())) {
            Http.get(edge.port(), "/alice/hello", "User-Agent", "reader/1.0", "Referer", "https://ref.example/");
            Http.get(edge.port(), "/alice/hello");
            Http.head(edge.port(), "/alice/hello");
            Http.get(edge.port(), "/login");
            Http.get(edge.port(), "/alice/gone");
        } // closing the edge drains the log's queue
        return Files.readAllLines(log);
    }

    @Test
    void jsonLinesCarryStatusBytesDurationRouteOutcomeDeployAndClient() throws Exception {
        List<String> lines = logLines("json", dir.resolve("logs/access.json"));
        assertThat(lines).hasSize(5);
        List<JsonNode> json = new ArrayList<>();
        for (String l : lines) json.add(new ObjectMapper().readTree(l));

        JsonNode miss = json.get(0);
        assertThat(miss.get("client").asText()).isEqualTo("127.0.0.1");
        assertThat(miss.get("method").asText()).isEqualTo("GET");
        assertThat(miss.get("target").asText()).isEqualTo("/alice/hello");
        assertThat(miss.get("status").asInt()).isEqualTo(200);
        assertThat(miss.get("bytes").asInt()).isEqualTo(5);
        assertThat(miss.get("us").asLong()).isPositive();
        assertThat(miss.get("route").asText()).isEqualTo("/{user}/{slug}");
        assertThat(miss.get("cache").asText()).isEqualTo("miss-stored");
        assertThat(miss.get("deploy").asText()).isEqualTo("initial");
        assertThat(miss.get("user-agent").asText()).isEqualTo("reader/1.0");
        assertThat(miss.get("referer").asText()).isEqualTo("https://ref.example/");

        assertThat(json.get(1).get("cache").asText()).isEqualTo("hit-memory");
        assertThat(json.get(2).get("method").asText()).isEqualTo("HEAD");
        assertThat(json.get(2).get("bytes").asInt()).isZero();
        assertThat(json.get(3).get("cache").asText()).isEqualTo("pass");
        assertThat(json.get(4).get("status").asInt()).isEqualTo(404);
    }

    @Test
    void combinedLinesAreWhatLogToolsRead() throws Exception {
        List<String> lines = logLines("combined", dir.resolve("access.log"));
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0))
                .matches("127\\.0\\.0\\.1 - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000] \"GET /alice/hello"
                        + " HTTP/1\\.1\" 200 5 \"https://ref\\.example/\" \"reader/1\\.0\" route=/\\{user}/\\{slug}"
                        + " cache=miss-stored deploy=initial us=\\d+");
        assertThat(lines.get(1)).contains("cache=hit-memory");
    }

    @Test
    void offWritesNothing() throws Exception {
        Path log = dir.resolve("never.log");
        var config = TestEdge.config(
                origin.getPort(),
                dir.resolve("store"),
                TestEdge.DEFAULT_ROUTES,
                "access-log: {format: off, path: %s}".formatted(log));
        try (EdgeServer edge = EdgeServer.start(config, new FakeClock())) {
            origin.stubFor(get("/alice/hello").willReturn(ok("hello")));
            Http.get(edge.port(), "/alice/hello");
        }
        assertThat(log).doesNotExist();
    }
}
