package dev.edgecache.proxy.admin;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An admin call, copied off Netty's buffers so it can be handled on another thread.
 *
 * @param caller who made it, for the audit log (never the token itself)
 */
record AdminRequest(String method, String path, Map<String, List<String>> query, byte[] body, String caller) {
    @Nullable
    String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
