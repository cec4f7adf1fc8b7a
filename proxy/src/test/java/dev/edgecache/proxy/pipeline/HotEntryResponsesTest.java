package dev.edgecache.proxy.pipeline;

import static dev.edgecache.proxy.pipeline.EntryResponsesTest.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.store.Encoded;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.metrics.Outcome;
import dev.edgecache.proxy.store.HotEntry;
import dev.edgecache.proxy.store.MemoryStore;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A memory-tier hit written from direct memory (issue 12) answers exactly as the heap entry did: same status,
 * headers and bytes for every negotiation, validator and range case of {@link EntryResponsesTest}; its body is a
 * retained view of the stored buffer, not a copy; and a hit racing an eviction either answers the right bytes or
 * falls back to the miss path, never throws and never reads freed memory. Paranoid leak detection
 * ({@code LeakCheckExtension}) fails the class if a response or entry keeps a buffer.
 */
class HotEntryResponsesTest {
    private static final long NOW = 5_000;
    private static final StoredEntry ENTRY = new StoredEntry(
                    200,
                    List.of(new Header("Content-Type", "text/plain"), new Header("Last-Modified", "x")),
                    "0123456789".getBytes(StandardCharsets.US_ASCII),
                    0,
                    StoredEntry.NEVER,
                    StoredEntry.NEVER,
                    "\"t\"",
                    List.of(),
                    "v1",
                    0)
            .withEncodings(List.of(new Encoded("br", new byte[] {1, 2}), new Encoded("gzip", new byte[] {3, 4, 5})));

    private static final EntryKey KEY = new EntryKey("v1", CacheKey.fromRequestTarget("/f"));

    @ParameterizedTest(name = "{0} AE=[{1}] Range=[{2}] INM=[{3}] If-Range=[{4}]")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "GET|-|-|-|-",
                "GET|gzip|-|-|-",
                "GET|gzip, br|-|-|-",
                "HEAD|gzip|-|-|-",
                "HEAD|-|-|-|-",
                "GET|gzip|-|\"t-gzip\"|-",
                "GET|-|-|\"t\"|-",
                "HEAD|-|-|\"t\"|-",
                "GET|gzip|-|\"t\"|-",
                "GET|gzip|bytes=2-4|-|-",
                "GET|-|bytes=-3|-|\"t\"",
                "GET|-|bytes=2-4|-|\"other\"",
                "GET|gzip|bytes=-2|\"t\"|-",
                "GET|gzip|bytes=1-2,4-5|-|-",
                "GET|identity;q=0, gzip|bytes=2-4|-|-",
                "HEAD|-|bytes=2-4|-|-",
                "GET|-|bytes=10-|-|-",
            })
    void answersAsTheHeapEntryDid(
            String method, String acceptEncoding, String range, String ifNoneMatch, String ifRange) {
        ClientRequest req = request(method, ifNoneMatch, acceptEncoding, range, ifRange);
        try (MemoryStore memory = new MemoryStore(1 << 20)) {
            memory.put(KEY, ENTRY);
            HotEntry hot = memory.getHot(KEY).orElseThrow();
            FullHttpResponse expected = ResponseFactory.fromEntry(ENTRY, req, NOW, Outcome.HIT_MEMORY);
            FullHttpResponse actual = ClientRequestHandler.hit(hot, req, NOW);
            try {
                assertThat(actual).isNotNull();
                assertThat(actual.status()).isEqualTo(expected.status());
                assertThat(headers(actual)).isEqualTo(headers(expected));
                assertThat(ByteBufUtil.getBytes(actual.content())).isEqualTo(ByteBufUtil.getBytes(expected.content()));
                if (actual.content().isReadable() && actual.status().code() != 416) {
                    assertThat(actual.content().isDirect())
                            .as("the stored direct buffer, not a copy")
                            .isTrue();
                    assertThat(hot.body().refCnt())
                            .as("the store's reference and the response's, to the buffer all three bodies share")
                            .isEqualTo(2);
                }
            } finally {
                expected.release();
                if (actual != null) actual.release();
            }
            assertThat(hot.body().refCnt()).isEqualTo(1);
            assertThat(refCnt(hot, "gzip")).isEqualTo(1);
            assertThat(refCnt(hot, "br")).isEqualTo(1);
        }
    }

    private static int refCnt(HotEntry hot, String coding) {
        var b = hot.encoded(coding);
        return b == null ? 0 : b.refCnt();
    }

    private static List<String> headers(FullHttpResponse r) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> h : r.headers()) lines.add(h.getKey() + ": " + h.getValue());
        return lines;
    }

    @Test
    void aHitOnAnEntryEvictedAfterTheLookupIsAMissNotAnError() {
        try (MemoryStore memory = new MemoryStore(1 << 20)) {
            memory.put(KEY, ENTRY);
            HotEntry hot = memory.getHot(KEY).orElseThrow();
            memory.remove(KEY); // eviction between the lookup and the retain
            assertThat(ClientRequestHandler.hit(hot, request("GET", null, null, null, null), NOW))
                    .isNull();
            assertThat(ClientRequestHandler.hit(hot, request("GET", null, "gzip", null, null), NOW))
                    .isNull();
            assertThat(ClientRequestHandler.hit(hot, request("GET", null, null, "bytes=1-2", null), NOW))
                    .isNull();
            // what needs no bytes can still be answered: a 304, a HEAD
            FullHttpResponse head = ClientRequestHandler.hit(hot, request("HEAD", null, null, null, null), NOW);
            assertThat(head).isNotNull();
            assertThat(head.headers().get("Content-Length")).isEqualTo("10");
            head.release();
        }
    }

    /**
     * One thread keeps replacing and evicting pages in a small memory tier while this one answers hits from
     * whatever it finds: each answer is a page's own bytes (a read of freed or reused memory would mix them) or a
     * fall-back to the miss path, and nothing throws. Bounded: 20,000 hits.
     */
    @Test
    void hitsRacingEvictionsAnswerTheRightBytesOrMiss() throws Exception {
        int pages = 32;
        int size = 4096;
        try (MemoryStore memory = new MemoryStore(16L * size)) { // about half the pages fit
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> writerFailed = new AtomicReference<>();
            CountDownLatch writing = new CountDownLatch(1);
            Thread writer = new Thread(() -> {
                try {
                    for (int round = 0; !done.get(); round++) {
                        for (int p = 0; p < pages && !done.get(); p++) {
                            memory.put(pageKey(p), page((byte) ('a' + (round + p) % 26), size));
                            if (round == 0 && p == pages - 1) writing.countDown();
                        }
                        memory.remove(pageKey(round % pages));
                    }
                } catch (Throwable t) {
                    writerFailed.set(t);
                } finally {
                    writing.countDown();
                }
            });
            writer.start();
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            int hits = 0;
            int misses = 0;
            List<String> wrong = new ArrayList<>();
            try {
                for (int i = 0; i < 20_000; i++) {
                    var hot = memory.getHot(pageKey(i % pages));
                    if (hot.isEmpty()) continue;
                    FullHttpResponse r =
                            ClientRequestHandler.hit(hot.get(), request("GET", null, null, null, null), NOW);
                    if (r == null) {
                        misses++;
                        continue;
                    }
                    try {
                        hits++;
                        byte[] body = ByteBufUtil.getBytes(r.content());
                        byte expected = (byte) r.headers().get("ETag").charAt(1);
                        byte[] same = new byte[size];
                        Arrays.fill(same, expected);
                        if (!Arrays.equals(body, same) && wrong.size() < 5)
                            wrong.add(r.headers().get("ETag"));
                    } finally {
                        r.release();
                    }
                }
            } finally {
                done.set(true);
                writer.join(10_000);
            }
            assertThat(writerFailed.get()).isNull();
            assertThat(wrong).as("answers whose bytes were not their page's").isEmpty();
            assertThat(hits).isPositive();
            System.out.printf("hits racing evictions: %d hits, %d fell back to the miss path%n", hits, misses);
        }
    }

    private static EntryKey pageKey(int p) {
        return new EntryKey("v1", CacheKey.fromRequestTarget("/p/" + p));
    }

    private static StoredEntry page(byte fill, int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, fill);
        return new StoredEntry(
                200,
                List.of(new Header("Content-Type", "text/plain")),
                body,
                0,
                StoredEntry.NEVER,
                StoredEntry.NEVER,
                "\"" + (char) fill + "\"",
                List.of(),
                "v1",
                0);
    }
}
