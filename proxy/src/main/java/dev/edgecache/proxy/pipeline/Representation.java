package dev.edgecache.proxy.pipeline;

import dev.edgecache.common.http.AcceptEncoding;
import dev.edgecache.common.http.EntityTags;
import dev.edgecache.common.store.Encoded;
import dev.edgecache.common.store.StoredEntry;
import org.jspecify.annotations.Nullable;

/**
 * Which stored bytes answer a reader (issue 5): the identity body, or an encoded copy made at store time, chosen
 * by {@code Accept-Encoding} (RFC 9110 §12.5.3). An encoded copy has its own ETag, the identity one with the
 * coding appended inside the quotes (§8.8.3; weak stays weak), so validators and {@code If-Range} never confuse the two. Plain Java.
 *
 * @param body the bytes to send (not copied; never written to)
 * @param etag the representation's ETag
 * @param coding the {@code Content-Encoding} to add, or null for the identity body
 */
record Representation(byte[] body, String etag, @Nullable String coding) {

    static Representation select(StoredEntry e, @Nullable String acceptEncoding) {
        if (e.encodings().isEmpty()) return identity(e);
        String coding = AcceptEncoding.select(acceptEncoding, e.codings());
        Encoded encoded = e.encoding(coding);
        return encoded == null
                ? identity(e)
                : new Representation(encoded.body(), EntityTags.forCoding(e.etag(), coding), coding);
    }

    static Representation identity(StoredEntry e) {
        return new Representation(e.body(), e.etag(), null);
    }
}
