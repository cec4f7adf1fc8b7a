package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.testing.Admin;
import dev.edgecache.proxy.testing.EdgeServerExtension;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shipped Grafana dashboard asks only for series the edge exports: a renamed meter must not blank a panel. */
class DashboardIT {
    private static final Path DASHBOARD = Path.of("..", "conf", "grafana-dashboard.json");
    /** A Prometheus metric name at the start of a selector or function argument. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:edge|jvm|netty|process|system)_[a-z0-9_]+)\\b");
    /** Micrometer registers these on the first event they count (a GC), which a short test cannot promise. */
    private static final Set<String> REGISTERED_ON_FIRST_EVENT = Set.of("jvm_gc_pause_seconds_sum");

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @RegisterExtension
    final EdgeServerExtension edge = new EdgeServerExtension(origin::getPort);

    @Test
    void everyMetricTheDashboardQueriesIsExported() throws IOException {
        String page = "<p>a page worth compressing</p>\n".repeat(64);
        origin.stubFor(get("/alice/hello")
                .willReturn(aResponse().withHeader("Content-Type", "text/html").withBody(page)));
        Http.get(edge.port(), "/alice/hello");
        Http.get(edge.port(), "/alice/hello");
        Admin admin = new Admin(edge.adminPort());
        admin.post("/purge", "{\"tags\":[\"user:alice\"]}");
        String exported = admin.get("/metrics").body();

        Set<String> missing = new TreeSet<>();
        for (String metric : queried()) {
            if (REGISTERED_ON_FIRST_EVENT.contains(metric)) continue;
            if (!exported.contains("\n" + metric + "{") && !exported.contains("\n" + metric + " ")) missing.add(metric);
        }
        assertThat(missing)
                .as("queried by conf/grafana-dashboard.json, absent from /metrics")
                .isEmpty();
    }

    private static Set<String> queried() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<String> names = new TreeSet<>();
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher m = METRIC.matcher(expr.asText());
            while (m.find()) names.add(m.group(1));
        }
        assertThat(names).as("metrics in the dashboard").hasSizeGreaterThan(20);
        return names;
    }
}
