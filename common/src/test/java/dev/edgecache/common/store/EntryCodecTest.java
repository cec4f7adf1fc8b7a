package dev.edgecache.common.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryCodecTest {
    private final StoredEntry entry = new StoredEntry(
            404,
            List.of(new Header("Content-Type", "text/html"), new Header("X-Émoji", "✓")),
            "not found".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            123,
            456,
            789,
            "\"abc\"",
            List.of("user:alice"),
            "v7",
            42);

    @Test
    void roundTrips() {
        assertThat(EntryCodec.decode(EntryCodec.encode(entry))).isEqualTo(entry);
    }

    @Test
    void encodedCopiesRoundTripAndWeighOnTheBudget() { // issue 5
        StoredEntry withCopies = entry.withEncodings(
                List.of(new Encoded("br", new byte[] {1, 2}), new Encoded("gzip", new byte[] {3, 4, 5})));
        assertThat(EntryCodec.decode(EntryCodec.encode(withCopies))).isEqualTo(withCopies);
        assertThat(withCopies.codings()).containsExactly("br", "gzip");
        assertThat(withCopies.weight()).isGreaterThan(entry.weight() + 5);
        assertThat(withCopies.markedStale(500).encodings()).isEqualTo(withCopies.encodings());
    }

    @Test
    void partsLocateTheBodiesWithoutCopyingThem() { // issue 12: a disk hit writes them from the value read
        StoredEntry withCopies = entry.withEncodings(List.of(new Encoded("br", new byte[] {7, 8})));
        byte[] value = EntryCodec.encode(withCopies);
        EntryCodec.Parts parts = EntryCodec.decodeParts(value);
        assertThat(parts.meta()).isEqualTo(withCopies.withoutBytes());
        assertThat(parts.codings()).containsExactly("br");
        assertThat(parts.body().copyOf(value)).isEqualTo(entry.body());
        assertThat(parts.encoded(0).copyOf(value)).containsExactly(7, 8);
        value[value.length - 1] ^= 1;
        assertThatThrownBy(() -> EntryCodec.decodeParts(value)).isInstanceOf(CorruptEntryException.class);
    }

    @Test
    void partsDecodeTheSameFromDirectMemoryAndLeaveTheBufferAsItWas() { // issue 12: disk hits read into one
        StoredEntry withCopies = entry.withEncodings(List.of(new Encoded("gzip", new byte[] {4, 5, 6})));
        byte[] value = EntryCodec.encode(withCopies);
        ByteBuffer direct =
                ByteBuffer.allocateDirect(value.length + 100).put(value).flip();

        EntryCodec.Parts parts = EntryCodec.decodeParts(direct);

        assertThat(parts).isEqualTo(EntryCodec.decodeParts(value));
        assertThat(direct.position()).isZero();
        assertThat(direct.limit()).isEqualTo(value.length);
        direct.put(value.length - 1, (byte) (value[value.length - 1] ^ 1));
        assertThatThrownBy(() -> EntryCodec.decodeParts(direct)).isInstanceOf(CorruptEntryException.class);
    }

    @Test
    void markingEncodedBytesStaleEqualsMarkingTheEntry() { // issue 12: soft purges patch the bytes in one pass
        StoredEntry withCopies = entry.withEncodings(List.of(new Encoded("br", new byte[] {1, 2})));
        for (long now : new long[] {100, 456, 10_000}) {
            byte[] marked = EntryCodec.markedStale(EntryCodec.encode(withCopies), now);
            assertThat(EntryCodec.decode(marked)).isEqualTo(withCopies.markedStale(now));
        }
    }

    @Test
    void markingCorruptBytesStaleFails() {
        byte[] bad = EntryCodec.encode(entry);
        bad[bad.length - 1] ^= 1;
        assertThatThrownBy(() -> EntryCodec.markedStale(bad, 1)).isInstanceOf(CorruptEntryException.class);
        assertThatThrownBy(() -> EntryCodec.markedStale(new byte[3], 1)).isInstanceOf(CorruptEntryException.class);
    }

    @Test
    void aVersion2ValueReadsAsCorrupt() { // bumped for the encoded copies: old values are re-rendered
        byte[] old = EntryCodec.encode(entry);
        old[0] = 2;
        assertThatThrownBy(() -> EntryCodec.decode(old)).isInstanceOf(CorruptEntryException.class);
    }

    @Test
    void firstByteIsTheFormatVersion() {
        assertThat(EntryCodec.encode(entry)[0]).isEqualTo(EntryCodec.VERSION);
    }

    @Test
    void everySingleBitFlipIsDetected() {
        byte[] good = EntryCodec.encode(entry);
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> EntryCodec.decode(bad)).isInstanceOf(CorruptEntryException.class);
            }
        }
    }

    @Test
    void aTornValueIsDetected() {
        byte[] good = EntryCodec.encode(entry);
        for (int len = 0; len < good.length; len++) {
            byte[] torn = Arrays.copyOf(good, len);
            assertThatThrownBy(() -> EntryCodec.decode(torn)).isInstanceOf(CorruptEntryException.class);
        }
    }

    @Test
    void anUnknownVersionIsRefused() {
        byte[] future = EntryCodec.encode(entry);
        future[0] = 9;
        assertThatThrownBy(() -> EntryCodec.decode(future)).hasMessageContaining("unknown format version 9");
    }

    @Test
    void tagsAloneAreReadWithTheSameChecks() { // issue 9: purges read only the tags of many pages
        StoredEntry tagged = new StoredEntry(
                200,
                entry.headers(),
                entry.body(),
                1,
                2,
                3,
                "\"e\"",
                List.of("post:alice/hello", "user:ålice", ""),
                "v1",
                0);
        byte[] good = EntryCodec.encode(tagged.withEncodings(List.of(new Encoded("gzip", new byte[] {3, 4}))));
        assertThat(EntryCodec.decodeTags(good)).containsExactly("post:alice/hello", "user:ålice", "");
        assertThat(EntryCodec.decodeTags(EntryCodec.encode(entry))).containsExactly("user:alice");
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 1;
            assertThatThrownBy(() -> EntryCodec.decodeTags(bad)).isInstanceOf(CorruptEntryException.class);
        }
        for (int len = 0; len < good.length; len++) {
            byte[] torn = Arrays.copyOf(good, len);
            assertThatThrownBy(() -> EntryCodec.decodeTags(torn)).isInstanceOf(CorruptEntryException.class);
        }
    }
}
