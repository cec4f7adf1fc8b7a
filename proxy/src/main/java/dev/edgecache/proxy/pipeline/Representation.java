package dev.edgecache.proxy.pipeline;

import dev.edgecache.common.http.AcceptEncoding;
import dev.edgecache.common.http.EntityTags;
import dev.edgecache.proxy.store.HotEntry;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * Which stored bytes answer a reader (issue 5): the identity body, or an encoded copy made at store time, chosen
 * by {@code Accept-Encoding} (RFC 9110 §12.5.3). An encoded copy has its own ETag, the identity one with the
 * coding appended inside the quotes (§8.8.3; weak stays weak), so validators and {@code If-Range} never confuse the two. Plain Java.
 *
 * @param body the bytes to send, not retained (the entry's own buffer, in direct memory for a memory-tier hit): a
 *     response takes a {@code retainedDuplicate()} or {@code retainedSlice()} of it, never writes to it
 * @param etag the representation's ETag
 * @param coding the {@code Content-Encoding} to add, or null for the identity body
 */
record Representation(ByteBuf body, String etag, @Nullable String coding) {

    static Representation select(HotEntry e, @Nullable String acceptEncoding) {
        if (e.codings().isEmpty()) return identity(e);
        String coding = AcceptEncoding.select(acceptEncoding, e.codings());
        ByteBuf encoded = e.encoded(coding);
        return encoded == null
                ? identity(e)
                : new Representation(encoded, EntityTags.forCoding(e.meta().etag(), coding), coding);
    }

    static Representation identity(HotEntry e) {
        return new Representation(e.body(), e.meta().etag(), null);
    }

    /** Bytes in the representation (read without touching them, so also on an entry released meanwhile). */
    int length() {
        return body.readableBytes();
    }
}
