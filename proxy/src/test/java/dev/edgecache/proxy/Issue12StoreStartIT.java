package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.common.config.EdgeConfig;
import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.common.testing.FakeClock;
import dev.edgecache.proxy.store.RocksDbStore;
import dev.edgecache.proxy.testing.Admin;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.TestEdge;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: the edge starts over a store of many pages without scanning it (nothing at start is proportional to the
 * pages: deploys, purge position and gauges are metadata reads or RocksDB properties), serves a page from disk
 * first, and shows RocksDB's bounded memory in {@code /metrics}.
 */
class Issue12StoreStartIT {
    static final int PAGES = 20_000;

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock();

    @Test
    void anEdgeOverManyPagesStartsWithoutAScanAndServesFromDisk() throws InterruptedException {
        origin.stubFor(get("/alice/hello").willReturn(ok("hello").withHeader("Cache-Tag", "user:alice")));
        EdgeConfig config = TestEdge.config(origin.getPort(), dir);
        try (EdgeServer edge = EdgeServer.start(config, clock)) {
            assertThat(Http.get(edge.port(), "/alice/hello").body()).isEqualTo("hello");
        }
        try (RocksDbStore disk = RocksDbStore.open(config.store().path(), () -> {})) { // many more of the same page
            StoredEntry page = disk.get(key("/alice/hello")).orElseThrow();
            for (int i = 0; i < PAGES; i++) disk.put(key("/alice/p" + i), page);
        }

        long t0 = System.nanoTime();
        try (EdgeServer edge = EdgeServer.start(config, clock)) {
            long started = System.nanoTime();
            assertThat(edge.store().disk().scans()).as("no scan at start").isZero();
            HttpResponse<String> first = Http.get(edge.port(), "/alice/p" + (PAGES - 7));
            System.out.printf(
                    "ISSUE12 start over %d pages: %.0f ms to listen, %.0f ms to the first disk hit%n",
                    PAGES, (started - t0) / 1e6, (System.nanoTime() - t0) / 1e6);
            assertThat(first.body()).isEqualTo("hello");
            assertThat(first.headers().firstValue("Cache-Status"))
                    .hasValueSatisfying(s -> assertThat(s).startsWith("edge; hit"));
            origin.verify(0, getRequestedFor(urlPathMatching("/alice/p.*")));
            origin.verify(1, getRequestedFor(urlEqualTo("/alice/hello")));
            assertThat(edge.store().disk().scans()).isZero();

            String metrics = new Admin(edge.adminPort()).get("/metrics").body();
            assertThat(metrics)
                    .contains("edge_store_disk_cache_capacity_bytes " + (double) (32 << 20))
                    .contains("edge_store_disk_cache_usage_bytes")
                    .contains("edge_store_disk_cache_pinned_bytes")
                    .contains("edge_store_disk_memtables_bytes")
                    .contains("edge_store_disk_table_readers_bytes");
        }
    }

    private static EntryKey key(String target) {
        return new EntryKey(EdgeConfig.DEFAULT_DEPLOY, CacheKey.fromRequestTarget(target));
    }
}
