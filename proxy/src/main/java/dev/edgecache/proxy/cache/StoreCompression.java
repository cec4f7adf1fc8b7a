package dev.edgecache.proxy.cache;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import dev.edgecache.common.http.CacheControl;
import dev.edgecache.common.store.Encoded;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.metrics.CompressionMeter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compresses a page once, when it is stored, so that hits serve pre-encoded bytes and never compress per request
 * (issue 5). A body gets brotli (when its native library loads) and gzip copies when its type is textual, it has
 * at least {@value #MIN_BYTES} bytes, and a copy saves at least a tenth. Never compressed: a body the origin
 * already encoded ({@code Content-Encoding}), one marked {@code no-transform} (RFC 9110 §7.7: a proxy must not
 * change it), and anything but 200, 404 and 410. Each copy made, kept or not, is reported to a
 * {@link CompressionMeter}. Stateless and thread-safe; CPU-bound, so call it off the event loops (the store
 * executor does).
 */
public final class StoreCompression {
    private static final Logger log = LoggerFactory.getLogger(StoreCompression.class);
    static final int MIN_BYTES = 512;
    static final int GZIP_LEVEL = Deflater.BEST_COMPRESSION;
    /** Brotli's quality (0-11); public for the benchmark's baseline. */
    public static final int BROTLI_QUALITY = 9;

    static final int BROTLI_MIN_WINDOW_BITS = 10;
    static final int BROTLI_MAX_WINDOW_BITS = 16;
    private static final boolean BROTLI = brotliLoads();

    private StoreCompression() {}

    /** {@code entry} with its encoded copies, or {@code entry} itself when it is not compressed. */
    public static StoredEntry addEncodings(StoredEntry entry) {
        return addEncodings(entry, CompressionMeter.NONE);
    }

    /** As {@link #addEncodings(StoredEntry)}, reporting each copy made to {@code meter}. */
    public static StoredEntry addEncodings(StoredEntry entry, CompressionMeter meter) {
        if (!isCompressible(entry)) return entry;
        byte[] body = entry.body();
        List<Encoded> out = new ArrayList<>(2);
        if (BROTLI) addIfSmaller(out, "br", body, StoreCompression::brotli, meter);
        addIfSmaller(out, "gzip", body, StoreCompression::gzip, meter);
        return out.isEmpty() ? entry : entry.withEncodings(out);
    }

    /** Whether brotli copies are made (its native library loaded on this platform). */
    public static boolean brotliAvailable() {
        return BROTLI;
    }

    static boolean isCompressible(StoredEntry e) {
        if (e.status() != 200 && e.status() != 404 && e.status() != 410) return false;
        if (e.body().length < MIN_BYTES) return false;
        String encoding = e.header("Content-Encoding");
        if (encoding != null && !encoding.trim().equalsIgnoreCase("identity")) return false; // never double-compress
        if (e.header("Content-Range") != null) return false;
        if (CacheControl.parse(e.header("Cache-Control")).has("no-transform")) return false;
        return isCompressibleType(e.header("Content-Type"));
    }

    static boolean isCompressibleType(@Nullable String contentType) {
        if (contentType == null) return false;
        int semi = contentType.indexOf(';');
        String t =
                (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        return t.startsWith("text/")
                || t.endsWith("+json")
                || t.endsWith("+xml")
                || t.equals("application/json")
                || t.equals("application/javascript")
                || t.equals("application/ecmascript")
                || t.equals("application/xml")
                || t.equals("application/wasm")
                || t.equals("image/svg+xml")
                || t.equals("image/x-icon")
                || t.equals("font/ttf")
                || t.equals("font/otf");
    }

    private static void addIfSmaller(
            List<Encoded> out,
            String coding,
            byte[] body,
            Function<byte[], byte @Nullable []> compress,
            CompressionMeter meter) {
        long start = System.nanoTime();
        byte[] encoded = compress.apply(body);
        long nanos = System.nanoTime() - start;
        if (encoded != null && encoded.length <= body.length - body.length / 10) {
            out.add(new Encoded(coding, encoded));
            meter.kept(coding, nanos, body.length, encoded.length);
        } else {
            meter.dropped(coding, nanos, body.length);
        }
    }

    /** The gzip copy of {@code body} at level 9, as {@link #addEncodings} makes it. */
    public static byte[] gzip(byte[] body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 8192) {
            {
                def.setLevel(GZIP_LEVEL);
            }
        }) {
            gz.write(body);
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return bytes.toByteArray();
    }

    /**
     * The brotli copy of {@code body} at quality 9 with a window just large enough for it (at most 64 KiB), or null
     * if brotli failed or is unavailable.
     */
    public static byte @Nullable [] brotli(byte[] body) {
        if (!BROTLI) return null;
        try {
            return Encoder.compress(
                    body, new Encoder.Parameters().setQuality(BROTLI_QUALITY).setWindow(brotliWindowBits(body.length)));
        } catch (IOException | RuntimeException e) {
            log.warn("compress.failed coding=br error=\"{}\"", e.toString());
            return null;
        }
    }

    /**
     * The smallest brotli window (log2 of its size) that holds {@code length} bytes, as the brotli command line tool
     * picks it, but at most 64 KiB. A window larger than the body finds no more matches, yet the encoder sizes its
     * tables for it: with the default 4 MiB window a 4 KiB page cost 258 times as long. Above 2^16, quality 9 also
     * moves to a costlier match finder: a 64 KiB page took 23 times as long for a copy 4 bytes smaller, a 128 KiB one
     * 12 times for 0.6 % (bench/RESULTS.md §8b, §8c).
     */
    static int brotliWindowBits(int length) {
        int bits = BROTLI_MIN_WINDOW_BITS;
        while (bits < BROTLI_MAX_WINDOW_BITS && (1 << bits) - 16 < length) bits++;
        return bits;
    }

    private static boolean brotliLoads() {
        try {
            Brotli4jLoader.ensureAvailability();
            return true;
        } catch (Throwable t) { // UnsatisfiedLinkError on a platform without the native library
            log.info("compress.brotli available=false reason=\"{}\"", t.toString());
            return false;
        }
    }
}
