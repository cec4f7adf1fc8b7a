package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.common.testing.FakeClock;
import dev.edgecache.proxy.testing.Admin;
import dev.edgecache.proxy.testing.Await;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import dev.edgecache.proxy.testing.TestEdge;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, the purge undone by a promotion, as it was found: pages only on disk (after a restart), several keep-alive
 * readers requesting them at random, a prefix purge in the middle. No reader whose request starts after the purge
 * answered may get the page from before it, as a hit or otherwise.
 */
class PurgePromotionRaceIT {
    private static final int PAGES = 400;
    private static final int READERS = 6;
    private static final String ROUTES = "- {match: /p/**, mode: persistent}";

    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    Path dir;

    private record Seen(long startNanos, String body, String cacheStatus) {}

    @Test
    void noReaderGetsAPurgedPageAfterThePurgeAnswered() throws Exception {
        origin.stubFor(get(urlPathMatching("/p/.*")).willReturn(ok("before-purge")));
        try (EdgeServer filling = EdgeServer.start(TestEdge.config(origin.getPort(), dir, ROUTES), new FakeClock())) {
            for (int i = 0; i < PAGES; i++) Http.get(filling.port(), "/p/" + i);
        }
        origin.stubFor(get(urlPathMatching("/p/.*")).willReturn(ok("after-purge")));

        try (EdgeServer edge = EdgeServer.start(TestEdge.config(origin.getPort(), dir, ROUTES), new FakeClock())) {
            ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong answers = new AtomicLong();
            CountDownLatch warmed = new CountDownLatch(1);
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                readers.add(Thread.ofPlatform().start(() -> {
                    for (int n = 0; n < 5_000 && !stop.get(); n++) { // bounded in count as well as by the test
                        long start = System.nanoTime();
                        HttpResponse<String> res = Http.get(
                                edge.port(), "/p/" + ThreadLocalRandom.current().nextInt(PAGES));
                        seen.add(new Seen(
                                start,
                                res.body(),
                                res.headers().firstValue("Cache-Status").orElse("")));
                        if (answers.incrementAndGet() == PAGES / 2) warmed.countDown();
                    }
                }));
            }
            assertThat(warmed.await(60, TimeUnit.SECONDS)).isTrue(); // purge while pages still come off the disk
            new Admin(edge.adminPort()).post("/purge", "{\"prefixes\":[\"/p/\"]}");
            long purged = System.nanoTime();
            long until = answers.get() + 2L * PAGES;
            Await.until(
                    Duration.ofSeconds(60),
                    "readers to make " + 2 * PAGES + " more requests",
                    () -> answers.get() >= until || readers.stream().noneMatch(Thread::isAlive));
            stop.set(true);
            for (Thread t : readers) t.join(30_000);

            List<Seen> stale = seen.stream()
                    .filter(s -> s.startNanos() > purged && s.body().equals("before-purge"))
                    .toList();
            assertThat(stale).as("pages from before the purge served after it").isEmpty();
            assertThat(seen.stream().filter(s -> s.startNanos() > purged)).isNotEmpty();
        }
    }
}
