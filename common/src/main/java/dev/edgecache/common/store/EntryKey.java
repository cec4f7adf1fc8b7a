package dev.edgecache.common.store;

import dev.edgecache.common.key.CacheKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A stored page's identity: the deploy it belongs to and its cache key. The byte form is {@code deploy 0x00
 * target}, so all of one deploy's pages form one key range (for range deletes on rollback GC), and a path
 * prefix inside a deploy is a key prefix (for prefix purges).
 */
public record EntryKey(String deploy, CacheKey key) {
    public EntryKey {
        if (deploy.isEmpty() || deploy.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("deploy id must be non-empty and contain no NUL, got '" + deploy + "'");
        }
    }

    public byte[] toBytes() {
        byte[] d = deploy.getBytes(StandardCharsets.UTF_8);
        byte[] k = key.toBytes();
        byte[] out = Arrays.copyOf(d, d.length + 1 + k.length);
        System.arraycopy(k, 0, out, d.length + 1, k.length);
        return out;
    }

    public static EntryKey fromBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return new EntryKey(
                        new String(bytes, 0, i, StandardCharsets.UTF_8),
                        CacheKey.fromBytes(Arrays.copyOfRange(bytes, i + 1, bytes.length)));
            }
        }
        throw new IllegalArgumentException("not an entry key: no deploy separator");
    }

    /** The first key of a deploy's range: {@code deploy 0x00}. */
    public static byte[] deployStart(String deploy) {
        byte[] d = deploy.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(d, d.length + 1);
    }

    /** The exclusive end of a deploy's range: {@code deploy 0x01}. */
    public static byte[] deployEnd(String deploy) {
        byte[] end = deployStart(deploy);
        end[end.length - 1] = 1;
        return end;
    }

    @Override
    public String toString() {
        return deploy + ":" + key;
    }
}
