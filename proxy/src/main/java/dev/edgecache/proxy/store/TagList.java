package dev.edgecache.proxy.store;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A page's tags as the {@code pagetags} family stores them: each tag as a four-byte length and its UTF-8 bytes. Purges
 * read this instead of the page, whose value is thousands of times larger and checksummed whole (issue 12).
 */
final class TagList {
    private TagList() {}

    static byte[] encode(List<String> tags) {
        List<byte[]> parts = new ArrayList<>(tags.size());
        int size = 0;
        for (String t : tags) {
            byte[] b = t.getBytes(StandardCharsets.UTF_8);
            parts.add(b);
            size += Integer.BYTES + b.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (byte[] b : parts) out.putInt(b.length).put(b);
        return out.array();
    }

    /** The tags in {@code value}, or null when it is malformed (the caller reads the page instead). */
    static @Nullable List<String> decode(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        List<String> tags = new ArrayList<>(2);
        try {
            while (in.hasRemaining()) {
                int length = in.getInt();
                if (length < 0 || length > in.remaining()) return null;
                byte[] b = new byte[length];
                in.get(b);
                tags.add(new String(b, StandardCharsets.UTF_8));
            }
        } catch (BufferUnderflowException e) {
            return null;
        }
        return tags;
    }
}
