package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.store.EntryCodec;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.testing.FakeClock;
import dev.edgecache.proxy.metrics.Outcome;
import dev.edgecache.proxy.store.StoreCorruption;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.TestEdge;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Pages survive a restart of the edge; a corrupt or torn value is re-rendered, never served. */
class PersistenceIT {
    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock();

    @Test
    void storedPagesAreServedFromDiskAfterARestartWithoutTheOrigin() throws InterruptedException {
        origin.stubFor(get("/alice/hello").willReturn(ok("hello").withHeader("Cache-Tag", "user:alice")));
        try (EdgeServer edge = EdgeServer.start(TestEdge.config(origin.getPort(), dir), clock)) {
            assertThat(Http.get(edge.port(), "/alice/hello").headers().firstValue("Cache-Status"))
                    .contains("edge; fwd=miss; stored");
        }
        try (EdgeServer edge = EdgeServer.start(TestEdge.config(origin.getPort(), dir), clock)) {
            HttpResponse<String> r = Http.get(edge.port(), "/alice/hello");
            assertThat(r.body()).isEqualTo("hello");
            assertThat(r.headers().firstValue("Cache-Status")).contains("edge; hit");
            String route = "/{user}/{slug}";
            assertThat(edge.metrics().requestCount(route, Outcome.HIT_DISK)).isEqualTo(1);
            assertThat(Http.get(edge.port(), "/alice/hello").headers().firstValue("Cache-Status"))
                    .contains("edge; hit");
            assertThat(edge.metrics().requestCount(route, Outcome.HIT_DISK))
                    .as("read twice: promoted by the second read")
                    .isEqualTo(2);
            assertThat(Http.get(edge.port(), "/alice/hello").headers().firstValue("Cache-Status"))
                    .contains("edge; hit");
            assertThat(edge.metrics().requestCount(route, Outcome.HIT_MEMORY))
                    .as("promoted")
                    .isEqualTo(1);
            assertThat(edge.deploys().active()).isEqualTo("initial");
        }
        origin.verify(1, getRequestedFor(urlEqualTo("/alice/hello")));
    }

    @Test
    void aCorruptValueIsReRenderedAndNeverServed() throws InterruptedException {
        origin.stubFor(get("/alice/hello").willReturn(ok("hello")));
        EntryKey key = new EntryKey("initial", CacheKey.fromRequestTarget("/alice/hello"));
        byte[] good;
        try (EdgeServer edge = EdgeServer.start(TestEdge.config(origin.getPort(), dir), clock)) {
            Http.get(edge.port(), "/alice/hello");
            good = EntryCodec.encode(edge.store().disk().get(key).orElseThrow());
        }
        byte[] flipped = good.clone();
        flipped[flipped.length - 2] ^= 0x20; // one bit of the body: "hello" would become "helLo"
        StoreCorruption.overwrite(dir, key, flipped);

        origin.stubFor(get("/alice/hello").willReturn(ok("hello again")));
        try (EdgeServer edge = EdgeServer.start(TestEdge.config(origin.getPort(), dir), clock)) {
            HttpResponse<String> r = Http.get(edge.port(), "/alice/hello");
            assertThat(r.body()).isEqualTo("hello again");
            assertThat(r.headers().firstValue("Cache-Status")).contains("edge; fwd=miss; stored");
            assertThat(edge.metrics()
                            .registry()
                            .get("edge.store.corrupt")
                            .counter()
                            .count())
                    .isEqualTo(1);
        }
        origin.verify(2, getRequestedFor(urlEqualTo("/alice/hello")));
    }

    @Test
    void aTornValueIsReRendered() throws InterruptedException {
        origin.stubFor(get("/alice/hello").willReturn(ok("hello")));
        EntryKey key = new EntryKey("initial", CacheKey.fromRequestTarget("/alice/hello"));
        byte[] good;
        try (EdgeServer edge = EdgeServer.start(TestEdge.config(origin.getPort(), dir), clock)) {
            Http.get(edge.port(), "/alice/hello");
            good = EntryCodec.encode(edge.store().disk().get(key).orElseThrow());
        }
        StoreCorruption.overwrite(dir, key, Arrays.copyOf(good, good.length / 2));
        try (EdgeServer edge = EdgeServer.start(TestEdge.config(origin.getPort(), dir), clock)) {
            assertThat(Http.get(edge.port(), "/alice/hello").headers().firstValue("Cache-Status"))
                    .contains("edge; fwd=miss; stored");
        }
        origin.verify(2, getRequestedFor(urlEqualTo("/alice/hello")));
    }
}
