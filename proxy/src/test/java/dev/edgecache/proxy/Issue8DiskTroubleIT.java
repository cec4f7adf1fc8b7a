package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.common.config.EdgeConfig;
import dev.edgecache.common.config.YamlConfigLoader;
import dev.edgecache.common.testing.FakeClock;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.store.StoreHealth;
import dev.edgecache.proxy.testing.Await;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.SmallDisk;
import dev.edgecache.proxy.testing.TestEdge;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Issue 8.6: a full disk under a real RocksDB (a small tmpfs filled with a ballast file, then freed). The store
 * says it is degraded once, with the cause; {@code /readyz} stays ready and shows why; misses are still answered from
 * the origin, just not stored; hits keep working; and once the space is back, storing resumes with no restart.
 */
class Issue8DiskTroubleIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    private final Logger healthLog = (Logger) LoggerFactory.getLogger(StoreHealth.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private @Nullable Level levelBefore;

    @BeforeEach
    void captureHealthLog() {
        levelBefore = healthLog.getLevel();
        healthLog.setLevel(Level.INFO);
        logged.start();
        healthLog.addAppender(logged);
        origin.stubFor(get(urlPathMatching("/alice/.*"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/html")
                        .withBody("<p>" + "x".repeat(2000) + "</p>")));
    }

    @AfterEach
    void restoreLog() {
        healthLog.detachAppender(logged);
        healthLog.setLevel(levelBefore);
    }

    private static EdgeConfig config(Path store, String minFreeSpace) {
        String yaml =
                """
                listen: 127.0.0.1:0
                origin:
                  url: http://127.0.0.1:%d
                  connect-timeout: 1s
                  timeout: 5s
                store:
                  path: %s
                  memory: 16MiB
                  min-free-space: %s
                  write-buffers: 256MiB
                admin:
                  listen: 127.0.0.1:0
                  token: %s
                routes:
                %s
                """.formatted(origin.getPort(), store, minFreeSpace, TestEdge.TOKEN, TestEdge.DEFAULT_ROUTES.indent(2));
        return new YamlConfigLoader(Map.<String, String>of()::get).parse("test.yaml", yaml, EdgeConfig.class);
    }

    @Test
    void freeSpaceBelowTheThresholdStopsStoringSaysWhyOnceAndStoringResumesWhenSpaceIsBack() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(96);
                EdgeServer edge = EdgeServer.start(config(disk.path().resolve("edge"), "16MiB"), new FakeClock())) {
            assertThat(status(Http.get(edge.port(), "/alice/before"))).isEqualTo("edge; fwd=miss; stored");
            assertThat(readyz(edge)).contains("\"store\":{\"status\":\"ok\"}");

            Path ballast = disk.fillLeaving(8L << 20); // 8 MiB free: below 16 MiB
            Await.until(WAIT, "the store to report no-space", () -> readyz(edge).contains("\"state\":\"no-space\""));
            String ready = readyz(edge);
            assertThat(ready)
                    .startsWith("{\"ready\":true,")
                    .contains(",\"store\":{\"status\":\"degraded\",\"state\":\"no-space\"")
                    .contains("below store.min-free-space 16.0MiB");
            assertThat(Http.get(edge.adminPort(), "/readyz").statusCode()).isEqualTo(200);
            assertThat(stateGauge(edge, "no-space")).isEqualTo(1);
            assertThat(stateGauge(edge, "ok")).isEqualTo(0);

            for (int i = 0; i < 5; i++) {
                HttpResponse<String> miss = Http.get(edge.port(), "/alice/during");
                assertThat(miss.statusCode())
                        .as("a miss while degraded is still served")
                        .isEqualTo(200);
                assertThat(miss.body()).startsWith("<p>xxx");
                assertThat(status(miss)).as("but not stored").doesNotContain("stored");
            }
            origin.verify(5, getRequestedFor(urlEqualTo("/alice/during")));
            assertThat(status(Http.get(edge.port(), "/alice/before")))
                    .as("hits go on")
                    .isEqualTo("edge; hit");
            assertThat(warnings()).as("the cause is logged once, not per miss").hasSize(1);
            assertThat(warnings().get(0)).contains("state=no-space", "below store.min-free-space");

            disk.free(ballast);
            Await.until(
                    WAIT, "the store to recover by itself", () -> readyz(edge).contains("\"status\":\"ok\""));
            assertThat(status(Http.get(edge.port(), "/alice/after"))).isEqualTo("edge; fwd=miss; stored");
            assertThat(status(Http.get(edge.port(), "/alice/after"))).isEqualTo("edge; hit");
            assertThat(stateGauge(edge, "ok")).isEqualTo(1);
            assertThat(infos()).singleElement().asString().contains("state=ok", "was=no-space");
            assertThat(warnings()).hasSize(1);
        }
    }

    @Test
    void aFullDiskUnderRocksDbIsReportedWithItsErrorAndTheStoreReopensOnceSpaceIsBack() throws Exception {
        // smaller than RocksDB's WAL preallocation (1.1 x the 64 MiB memtable of the pages, a quarter of write-buffers:
        // 256MiB in config()), which then fails and is skipped: with it, small writes would land in preallocated space
        // and never meet the full disk
        try (SmallDisk disk = SmallDisk.mount(48);
                EdgeServer edge = EdgeServer.start(config(disk.path().resolve("edge"), "0B"), new FakeClock())) {
            assertThat(status(Http.get(edge.port(), "/alice/before"))).isEqualTo("edge; fwd=miss; stored");

            Path ballast = disk.fillLeaving(0); // no threshold: RocksDB itself runs into ENOSPC
            for (int i = 0; i < 200 && !readyz(edge).contains("degraded"); i++) {
                HttpResponse<String> miss = Http.get(edge.port(), "/alice/full-" + i);
                assertThat(miss.statusCode())
                        .as("a miss on a full disk is still served")
                        .isEqualTo(200);
            }
            assertThat(readyz(edge)).contains("\"status\":\"degraded\"", "\"state\":\"no-space\"", "No space left");
            assertThat(warnings()).singleElement().asString().contains("state=no-space", "No space left");
            HttpResponse<String> miss = Http.get(edge.port(), "/alice/during");
            assertThat(miss.statusCode()).isEqualTo(200);
            assertThat(status(miss)).doesNotContain("stored");
            assertThat(status(Http.get(edge.port(), "/alice/before"))).isEqualTo("edge; hit");

            disk.free(ballast);
            Await.until(
                    WAIT, "the store to reopen by itself", () -> readyz(edge).contains("\"status\":\"ok\""));
            assertThat(status(Http.get(edge.port(), "/alice/after"))).isEqualTo("edge; fwd=miss; stored");
            assertThat(infos()).singleElement().asString().contains("state=ok", "reopened");
            assertThat(warnings()).hasSize(1);
        }
    }

    private static String status(HttpResponse<String> r) {
        return r.headers().firstValue("Cache-Status").orElse("(none)");
    }

    private static String readyz(EdgeServer edge) {
        return Http.get(edge.adminPort(), "/readyz").body();
    }

    private static double stateGauge(EdgeServer edge, String state) {
        return edge.metrics()
                .registry()
                .get(EdgeMetrics.STORE_STATE)
                .tag("state", state)
                .gauge()
                .value();
    }

    private List<String> warnings() {
        return messages(Level.WARN);
    }

    private List<String> infos() {
        return messages(Level.INFO);
    }

    private List<String> messages(Level level) {
        return logged.list.stream()
                .filter(e -> e.getLevel() == level)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }
}
