package dev.edgecache.common.store;

import java.util.Arrays;

/**
 * A content-coded copy of a stored body (RFC 9110 §8.4.1), made once when the page is stored.
 *
 * @param coding the content coding, e.g. {@code gzip} or {@code br}
 * @param body the encoded bytes; never modified after construction
 */
public record Encoded(String coding, byte[] body) {
    public Encoded {
        if (coding.isEmpty() || coding.equals("identity")) {
            throw new IllegalArgumentException("coding must name a content coding, got '" + coding + "'");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Encoded e && coding.equals(e.coding) && Arrays.equals(body, e.body);
    }

    @Override
    public int hashCode() {
        return 31 * coding.hashCode() + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "Encoded[" + coding + ", bytes=" + body.length + "]";
    }
}
