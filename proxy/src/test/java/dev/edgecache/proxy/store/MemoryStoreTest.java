package dev.edgecache.proxy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgecache.common.store.Encoded;
import dev.edgecache.common.store.EntryCodec;
import dev.edgecache.common.store.Store;
import dev.edgecache.common.store.StoreContractTest;
import dev.edgecache.common.store.StoredEntry;
import io.netty.buffer.ByteBuf;
import io.netty.util.IllegalReferenceCountException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The memory tier's contract, its byte budget, and the ownership of its direct memory (issue 12): every way an entry
 * leaves releases its buffers, a reader holding a retained duplicate keeps the bytes alive until it lets go, and a
 * reader arriving after the release gets a failed retain, never freed memory. Runs under Netty's paranoid leak
 * detector ({@code LeakCheckExtension}), which also fails the class if a buffer is never released.
 */
class MemoryStoreTest extends StoreContractTest {
    @Override
    protected Store newStore() {
        return new MemoryStore(1 << 20);
    }

    private static StoredEntry encoded(String body) {
        return entry(body).withEncodings(List.of(new Encoded("gzip", new byte[] {1, 2, 3})));
    }

    @Test
    void aPageReadFromDiskIsCopiedIntoDirectMemoryWhole() { // a promotion of HotEntry.reading's view
        try (MemoryStore m = new MemoryStore(1 << 20)) {
            StoredEntry e = encoded("y".repeat(3000));
            m.promote(key("/a"), HotEntry.reading(EntryCodec.encode(e)));
            HotEntry hot = m.getHot(key("/a")).orElseThrow();
            assertThat(hot.isOffHeap()).isTrue();
            assertThat(hot.body().isDirect()).isTrue();
            assertThat(hot.encoded("gzip").isDirect()).isTrue();
            assertThat(m.get(key("/a"))).contains(e);
        }
    }

    /** A promotion of a disk read in direct memory: one buffer, two owners (the reader and memory), in either order. */
    @ParameterizedTest(name = "the reader lets go first: {0}")
    @ValueSource(booleans = {true, false})
    void aPageReadIntoDirectMemoryIsKeptWithoutACopyAndFreedOnceBothOwnersLetGo(boolean readerFirst) {
        try (MemoryStore m = new MemoryStore(1 << 20)) {
            StoredEntry e = encoded("z".repeat(3000));
            HotEntry read = readAndKept(m, e);
            HotEntry kept = m.getHot(key("/a")).orElseThrow();
            assertThat(kept.body()).as("the reader's bytes, shared").isSameAs(read.body());

            if (readerFirst) read.release(); // the reader has answered
            else m.remove(key("/a")); // evicted while the reader answers
            assertThat(read.toEntry())
                    .as("readable while either owner holds it")
                    .isEqualTo(e);
            assertThat(kept.freed()).isFalse();

            if (readerFirst) m.remove(key("/a"));
            else read.release();
            assertThat(read.freed()).isTrue();
            assertThat(kept.freed()).isTrue();
            assertThatThrownBy(() -> kept.body().retainedDuplicate())
                    .isInstanceOf(IllegalReferenceCountException.class);
        }
    }

    /** {@code e} as a disk read into direct memory leaves it (the reader's), after promoting it as {@code /a}. */
    private static HotEntry readAndKept(MemoryStore m, StoredEntry e) {
        byte[] value = EntryCodec.encode(e);
        HotEntry read = HotEntry.readInto(
                ByteBuffer.allocateDirect(value.length).put(value).flip());
        m.promote(key("/a"), read);
        return read;
    }

    @Test
    void pagesReadFromDiskShareTheirRecurringHeaders() { // one copy per distinct header list, not one per page
        try (MemoryStore m = new MemoryStore(1 << 20)) {
            m.promote(key("/a"), HotEntry.reading(EntryCodec.encode(encoded("a"))));
            m.promote(key("/b"), HotEntry.reading(EntryCodec.encode(encoded("b"))));
            HotEntry a = m.getHot(key("/a")).orElseThrow();
            HotEntry b = m.getHot(key("/b")).orElseThrow();
            assertThat(b.meta().headers()).isSameAs(a.meta().headers());
            assertThat(b.meta().tags()).isSameAs(a.meta().tags());
            assertThat(b.codings()).isSameAs(a.codings());
            assertThat(m.get(key("/b"))).contains(encoded("b"));
        }
    }

    @Test
    void aPromotionNeverReplacesWhatWasStoredAfterItsDiskRead() { // a refresh landing between the read and the copy
        try (MemoryStore m = new MemoryStore(1 << 20)) {
            HotEntry readBefore = HotEntry.reading(EntryCodec.encode(entry("old")));
            m.put(key("/a"), entry("refreshed"));
            long directBefore = m.offHeapBytes();

            m.promote(key("/a"), readBefore);

            assertThat(m.get(key("/a"))).contains(entry("refreshed"));
            assertThat(m.offHeapBytes()).as("no copy kept or leaked").isEqualTo(directBefore);
        }
    }

    @Test
    void theByteBudgetBoundsWhatIsKept() {
        try (MemoryStore small = new MemoryStore(64 * 1024)) {
            for (int i = 0; i < 200; i++) small.put(key("/p/" + i), entry("x".repeat(1024)));
            small.cache().cleanUp();
            assertThat(small.weightedSize()).isLessThanOrEqualTo(64 * 1024);
            assertThat(small.offHeapBytes()).isPositive().isLessThanOrEqualTo(small.weightedSize());
            assertThat(small.cache().estimatedSize()).isLessThan(200);
        }
    }

    /**
     * Issue 12, §23: small pages are charged for the heap they keep, so however small they are a full memory tier keeps
     * at most a quarter of its budget on the heap (2 KiB pages had put 27 MB of metadata on a 96 MiB heap).
     */
    @Test
    void smallPagesAreChargedForTheHeapTheyKeep() {
        try (MemoryStore m = new MemoryStore(1 << 20)) {
            for (int i = 0; i < 2_000; i++) m.put(key("/p/" + i), encoded("x".repeat(200)));
            m.cache().cleanUp();
            HotEntry one = m.cache().asMap().values().iterator().next();
            assertThat(one.weight())
                    .as("bytes alone would let more in")
                    .isLessThan(MemoryStore.HEAP_SHARE * one.heapBytes());
            long heldOnHeap = m.cache().estimatedSize() * one.heapBytes();
            assertThat(heldOnHeap).isLessThanOrEqualTo((1 << 20) / MemoryStore.HEAP_SHARE);
            assertThat(m.cache().estimatedSize())
                    .isGreaterThan((1 << 20) / (2L * MemoryStore.HEAP_SHARE * one.heapBytes()));
        }
    }

    @Test
    void largerPagesAreChargedTheirBytes() {
        StoredEntry page = encoded("x".repeat(4096))
                .withEncodings(List.of(new Encoded("br", new byte[1800]), new Encoded("gzip", new byte[1900])));
        try (MemoryStore m = new MemoryStore(1 << 20)) {
            m.put(key("/a"), page);
            HotEntry hot = m.getHot(key("/a")).orElseThrow();
            assertThat(MemoryStore.charge(hot)).isEqualTo(hot.weight());
        }
    }

    @Test
    void bodiesLiveInDirectMemoryAndAreCountedInTheWeight() {
        try (MemoryStore m = new MemoryStore(1 << 20)) {
            StoredEntry e = encoded("x".repeat(10_000));
            m.put(key("/a"), e);
            HotEntry hot = m.getHot(key("/a")).orElseThrow();
            assertThat(hot.isOffHeap()).isTrue();
            assertThat(hot.body().isDirect()).isTrue();
            assertThat(hot.body().isReadOnly()).isTrue();
            assertThat(hot.encoded("gzip")).isNotNull();
            assertThat(hot.encoded("gzip").isDirect()).isTrue();
            assertThat(hot.meta().body()).isEmpty(); // no heap copy of the body
            assertThat(hot.weight()).isGreaterThan(10_000 + 3);
            assertThat(m.offHeapBytes()).isBetween(10_003L, (long) hot.weight());
            assertThat(m.get(key("/a"))).contains(e); // a whole heap copy for every other use
        }
    }

    @Test
    void evictionReleasesTheBuffers() {
        try (MemoryStore small = new MemoryStore(64 * 1024)) {
            small.put(key("/first"), encoded("x".repeat(8 * 1024)));
            HotEntry first = small.getHot(key("/first")).orElseThrow();
            for (int i = 0; i < 64; i++) small.put(key("/p/" + i), entry("y".repeat(8 * 1024)));
            small.cache().cleanUp();
            assertThat(small.getHot(key("/first"))).isEmpty();
            assertThat(first.freed()).isTrue();
            assertThat(first.body().refCnt()).isZero();
            assertThat(small.offHeapBytes()).isLessThanOrEqualTo(64 * 1024);
        }
    }

    @Test
    void removeReplaceAndCloseReleaseTheBuffers() {
        MemoryStore m = new MemoryStore(1 << 20);
        m.put(key("/a"), encoded("a"));
        m.put(key("/b"), encoded("b"));
        m.put(key("/c"), encoded("c"));
        HotEntry a = m.getHot(key("/a")).orElseThrow();
        HotEntry b = m.getHot(key("/b")).orElseThrow();
        HotEntry c = m.getHot(key("/c")).orElseThrow();

        assertThat(m.remove(key("/a"))).isTrue();
        assertThat(a.freed()).isTrue();

        m.put(key("/b"), encoded("b2")); // replaced
        assertThat(b.freed()).isTrue();
        HotEntry b2 = m.getHot(key("/b")).orElseThrow();
        assertThat(b2.freed()).isFalse();

        assertThat(c.freed()).isFalse();
        m.close();
        assertThat(c.freed()).isTrue();
        assertThat(b2.freed()).isTrue();
        assertThat(m.offHeapBytes()).isZero();
    }

    @Test
    void aPutAfterCloseIsNotKept() { // a store write racing shutdown must not leave memory nobody frees
        MemoryStore m = new MemoryStore(1 << 20);
        m.close();
        m.put(key("/late"), entry("late"));
        assertThat(m.getHot(key("/late"))).isEmpty();
        assertThat(m.offHeapBytes()).isZero();
    }

    @Test
    void aReaderHoldingTheBytesKeepsThemUntilItLetsGo() {
        try (MemoryStore m = new MemoryStore(1 << 20)) {
            m.put(key("/a"), entry("still here"));
            HotEntry hot = m.getHot(key("/a")).orElseThrow();
            ByteBuf writing = hot.body().retainedDuplicate(); // a hit's response, not yet written
            m.remove(key("/a"));
            assertThat(hot.freed()).isFalse();
            assertThat(writing.toString(StandardCharsets.UTF_8)).isEqualTo("still here");
            writing.release(); // Netty, once written
            assertThat(hot.freed()).isTrue();
        }
    }

    @Test
    void aReaderArrivingAfterTheReleaseGetsAFailedRetainNeverFreedMemory() {
        try (MemoryStore m = new MemoryStore(1 << 20)) {
            StoredEntry gone = encoded("gone");
            m.put(key("/a"), gone);
            HotEntry hot = m.getHot(key("/a")).orElseThrow(); // looked up...
            m.remove(key("/a")); // ...then evicted before the hit retained it
            assertThatThrownBy(() -> hot.body().retainedDuplicate()).isInstanceOf(IllegalReferenceCountException.class);
            assertThatThrownBy(() -> hot.encoded("gzip").retainedSlice(0, 1))
                    .isInstanceOf(IllegalReferenceCountException.class);
            // a heap copy needs the bytes: none, unless the heap entry it was made from is still referenced (it is
            // here, by this test), which is then answered without touching the released memory
            assertThat(hot.toEntryUnlessReleased()).containsSame(gone);
        }
    }

    @Test
    void aHeapCopyIsTheVeryEntryStoredWhileThatIsReferenced() { // PageCache.storedMeanwhile compares by identity
        try (MemoryStore m = new MemoryStore(1 << 20)) {
            StoredEntry stored = encoded("same");
            m.put(key("/a"), stored);
            assertThat(m.get(key("/a")).orElseThrow()).isSameAs(stored);
            HotEntry hot = m.getHot(key("/a")).orElseThrow();
            assertThat(hot.toEntry()).isSameAs(stored).isSameAs(hot.toEntry());
        }
    }

    @Test
    void theDirectMemoryOfAFailedCopyIsNotKept() {
        try (MemoryStore m = new MemoryStore(1 << 20)) {
            m.put(key("/a"), entry("old"));
            StoredEntry tooBig = entry("x".repeat(2 << 20)); // over the whole budget: evicted at once
            m.put(key("/a"), tooBig);
            m.cache().cleanUp();
            assertThat(m.getHot(key("/a"))).isEmpty(); // never the old copy
            assertThat(m.offHeapBytes()).isZero();
        }
    }
}
