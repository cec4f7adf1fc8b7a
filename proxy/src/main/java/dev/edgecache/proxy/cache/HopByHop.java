package dev.edgecache.proxy.cache;

import dev.edgecache.common.http.RequestFields;
import dev.edgecache.common.store.Header;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Hop-by-hop header rules (RFC 9110 §7.6.1): these fields and any named in {@code Connection} stop at each hop. */
public final class HopByHop {
    private static final Set<String> ALWAYS = RequestFields.HOP_BY_HOP;

    private HopByHop() {}

    /** Lower-case names to drop from {@code headers}: the fixed list plus every token of {@code Connection}. */
    public static Set<String> namesIn(List<Header> headers) {
        Set<String> names = new HashSet<>(ALWAYS);
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase("connection")) {
                for (String token : h.value().split(",")) {
                    String name = token.trim().toLowerCase(Locale.ROOT);
                    if (!name.isEmpty()) names.add(name);
                }
            }
        }
        return names;
    }
}
