package dev.edgecache.common.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The versioned binary form of a {@link StoredEntry}, as written to disk.
 *
 * <pre>
 * byte    version (3)
 * int     CRC32C of everything after this field
 * short   status
 * long    storedAt, expiresAt, staleUntil, purgeSequence
 * utf     etag, deploy
 * int n   then n x utf tag
 * int n   then n x (utf name, utf value) header
 * int n   then n bytes of body
 * int n   then n x (utf coding, int m, m bytes) encoded copy of the body
 * </pre>
 *
 * A value with another version, a wrong checksum or a wrong length is a {@link CorruptEntryException}: the
 * caller treats it as a miss and re-renders, so a torn or bit-flipped value is never served. Stateless and
 * thread-safe.
 */
public final class EntryCodec {
    /**
     * 2 added staleUntil, 3 the encoded copies; an older value reads as corrupt, so it is re-rendered rather than
     * misread.
     */
    public static final byte VERSION = 3;

    private static final int HEADER_BYTES = 1 + 4;

    private EntryCodec() {}

    public static byte[] encode(StoredEntry e) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encodedSizeHint(e));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(0); // checksum, patched below
            out.writeShort(e.status());
            out.writeLong(e.storedAtMillis());
            out.writeLong(e.expiresAtMillis());
            out.writeLong(e.staleUntilMillis());
            out.writeLong(e.purgeSequence());
            writeString(out, e.etag());
            writeString(out, e.deploy());
            out.writeInt(e.tags().size());
            for (String t : e.tags()) writeString(out, t);
            out.writeInt(e.headers().size());
            for (Header h : e.headers()) {
                writeString(out, h.name());
                writeString(out, h.value());
            }
            out.writeInt(e.body().length);
            out.write(e.body());
            out.writeInt(e.encodings().size());
            for (Encoded enc : e.encodings()) {
                writeString(out, enc.coding());
                out.writeInt(enc.body().length);
                out.write(enc.body());
            }
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        byte[] result = bytes.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(result, HEADER_BYTES, result.length - HEADER_BYTES);
        ByteBuffer.wrap(result, 1, 4).putInt((int) crc.getValue());
        return result;
    }

    /** Big enough for the whole value, so the buffer never grows and copies (UTF-8: at most 3 bytes a char). */
    private static int encodedSizeHint(StoredEntry e) {
        int n = 64 + e.body().length + 3 * (e.etag().length() + e.deploy().length());
        for (String t : e.tags()) n += 4 + 3 * t.length();
        for (Header h : e.headers()) n += 8 + 3 * (h.name().length() + h.value().length());
        return n;
    }

    /** The whole entry, its bodies copied out of {@code value}. */
    public static StoredEntry decode(byte[] value) {
        Parts p = decodeParts(value);
        StoredEntry m = p.meta();
        List<Encoded> encodings = new ArrayList<>(p.codings().size());
        for (int i = 0; i < p.codings().size(); i++) {
            encodings.add(new Encoded(p.codings().get(i), p.encoded(i).copyOf(value)));
        }
        return m.withBytes(p.body().copyOf(value), encodings);
    }

    /** Where a body lies in an encoded value (its index from the value's first byte). */
    public record Span(int offset, int length) {
        byte[] copyOf(byte[] value) {
            return Arrays.copyOfRange(value, offset, offset + length);
        }
    }

    /**
     * An encoded entry with everything but its bodies decoded: {@code meta} has an empty body and no encoded copies;
     * the bodies are where {@link #body} and {@link #encoded} say, in the value as read.
     */
    public record Parts(StoredEntry meta, Span body, List<String> codings, List<Span> encodings) {
        public Span encoded(int i) {
            return encodings.get(i);
        }
    }

    /**
     * Decodes {@code value} (checked like {@link #decode}) without copying its bodies, so that a disk hit can write
     * them from the value it read (issue 12: the copies were a quarter of a disk hit's allocation).
     */
    public static Parts decodeParts(byte[] value) {
        return decodeParts(ByteBuffer.wrap(value));
    }

    /**
     * {@link #decodeParts(byte[])} of the value in {@code value} from index 0 to its limit, on the heap or in direct
     * memory (a disk hit reads into a direct buffer: issue 12). Leaves {@code value}'s position as it was.
     */
    public static Parts decodeParts(ByteBuffer value) {
        ByteBuffer in = checked(value);
        try {
            int status = in.getShort();
            long storedAt = in.getLong();
            long expiresAt = in.getLong();
            long staleUntil = in.getLong();
            long purgeSequence = in.getLong();
            String etag = readString(in);
            String deploy = readString(in);
            int tagCount = count(in);
            List<String> tags = new ArrayList<>(tagCount);
            for (int i = 0; i < tagCount; i++) tags.add(readString(in));
            int headerCount = count(in);
            List<Header> headers = new ArrayList<>(headerCount);
            for (int i = 0; i < headerCount; i++) headers.add(new Header(readString(in), readString(in)));
            Span body = skipBytes(in);
            int encodedCount = count(in);
            List<String> codings = new ArrayList<>(encodedCount);
            List<Span> encodings = new ArrayList<>(encodedCount);
            for (int i = 0; i < encodedCount; i++) {
                codings.add(readString(in));
                encodings.add(skipBytes(in));
            }
            if (in.hasRemaining()) throw new CorruptEntryException(in.remaining() + " trailing bytes");
            StoredEntry meta = new StoredEntry(
                    status,
                    headers,
                    StoredEntry.NO_BYTES,
                    storedAt,
                    expiresAt,
                    staleUntil,
                    etag,
                    tags,
                    deploy,
                    purgeSequence,
                    List.of());
            return new Parts(meta, body, codings, encodings);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptEntryException("malformed value: " + e);
        }
    }

    private static Span skipBytes(ByteBuffer in) {
        int n = count(in);
        Span span = new Span(in.position(), n);
        in.position(in.position() + n);
        return span;
    }

    /**
     * The tags of an encoded entry, checked like {@link #decode} (version, checksum) but without materialising its
     * headers and body: purges read the tags of thousands of pages to find and delete their tag-index entries.
     */
    public static List<String> decodeTags(byte[] value) {
        ByteBuffer in = checked(ByteBuffer.wrap(value));
        try {
            in.position(HEADER_BYTES + 2 + 4 * 8); // status, storedAt, expiresAt, staleUntil, purgeSequence
            skipString(in); // etag
            skipString(in); // deploy
            int tagCount = count(in);
            List<String> tags = new ArrayList<>(tagCount);
            for (int i = 0; i < tagCount; i++) tags.add(readString(in));
            return tags;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptEntryException("malformed value: " + e);
        }
    }

    /** Where {@code expiresAt} is in an encoded entry ({@code staleUntil} follows it). */
    private static final int EXPIRES_AT = HEADER_BYTES + 2 + 8;

    /**
     * {@link StoredEntry#markedStale} on an encoded entry: a copy with {@code expiresAt} lowered to
     * {@code nowMillis} and {@code staleUntil} set to {@link StoredEntry#NEVER}, checksum recomputed, and nothing
     * else decoded. A soft purge marks thousands of pages; decoding and re-encoding each would copy every body twice.
     *
     * @throws CorruptEntryException when {@code value} fails the checks of {@link #decode}'s header
     */
    public static byte[] markedStale(byte[] value, long nowMillis) {
        ByteBuffer in = checked(ByteBuffer.wrap(value));
        try {
            byte[] out = value.clone();
            ByteBuffer b = ByteBuffer.wrap(out);
            long expiresAt = in.getLong(EXPIRES_AT);
            b.putLong(EXPIRES_AT, Math.min(expiresAt, nowMillis));
            b.putLong(EXPIRES_AT + 8, StoredEntry.NEVER);
            CRC32C crc = new CRC32C();
            crc.update(out, HEADER_BYTES, out.length - HEADER_BYTES);
            b.putInt(1, (int) crc.getValue());
            return out;
        } catch (IndexOutOfBoundsException e) {
            throw new CorruptEntryException("malformed value: " + e);
        }
    }

    /** A view of {@code value} (from index 0 to its limit) positioned after its version and checksum, both verified. */
    private static ByteBuffer checked(ByteBuffer value) {
        ByteBuffer in = value.duplicate().position(0);
        int length = in.limit();
        if (length < HEADER_BYTES) throw new CorruptEntryException("value too short: " + length + " bytes");
        if (in.get() != VERSION) throw new CorruptEntryException("unknown format version " + in.get(0));
        int expected = in.getInt();
        CRC32C crc = new CRC32C();
        crc.update(in.duplicate()); // the rest of the value; the view stays where it is
        if ((int) crc.getValue() != expected) throw new CorruptEntryException("checksum mismatch");
        return in;
    }

    private static void skipString(ByteBuffer in) {
        int n = count(in);
        in.position(in.position() + n);
    }

    private static int count(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) throw new CorruptEntryException("bad length " + n);
        return n;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** A string read straight from the value's array when it has one, else copied out of direct memory first. */
    private static String readString(ByteBuffer in) {
        int n = count(in);
        String s;
        if (in.hasArray()) {
            s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
            in.position(in.position() + n);
        } else {
            byte[] bytes = new byte[n];
            in.get(bytes);
            s = new String(bytes, StandardCharsets.UTF_8);
        }
        return s;
    }
}
