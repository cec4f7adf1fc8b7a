package dev.edgecache.proxy.cache;

import dev.edgecache.proxy.metrics.Outcome;
import java.util.Locale;

/** The {@code Cache-Status} value (RFC 9211) for each {@link Outcome}, with the cache named {@code edge}. */
public final class CacheStatus {
    public static final String HEADER = "Cache-Status";

    private CacheStatus() {}

    /** A page filled from cluster node {@code node} (issue 9), which the reader may want to know. */
    public static String fromPeer(String node) {
        return "edge; fwd=peer; detail=" + node + "; stored";
    }

    /**
     * A miss whose response a storage rule kept out of the store, with the rule's reason as the {@code detail}
     * (RFC 9211 §2.8), made a token: {@code no-store or private} becomes {@code no-store-or-private}.
     */
    public static String notStored(String reason) {
        String token = reason.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9!#$%&'*+.^_`|~-]+", "-");
        return token.isEmpty() || !Character.isLetter(token.charAt(0))
                ? "edge; fwd=miss; detail=not-stored"
                : "edge; fwd=miss; detail=" + token;
    }

    public static String of(Outcome outcome) {
        return switch (outcome) {
            case HIT_MEMORY, HIT_DISK -> "edge; hit";
            case HIT_STALE -> "edge; hit; fwd=stale";
            case MISS_STORED -> "edge; fwd=miss; stored";
            case MISS_NOT_STORABLE -> "edge; fwd=miss";
            case MISS_PEER -> "edge; fwd=peer; stored";
            case MISS_COLLAPSED -> "edge; fwd=miss; detail=collapsed";
            case REFRESH_STORED -> "edge; fwd=stale; stored";
            case REVALIDATED -> "edge; fwd=stale; fwd-status=304; stored";
            case STALE_IF_ERROR -> "edge; hit; fwd=stale; detail=origin-error";
            case PASS -> "edge; fwd=bypass";
            case ORIGIN_ERROR -> "edge; fwd=miss; detail=origin-error";
            case ORIGIN_TIMEOUT -> "edge; fwd=miss; detail=origin-timeout";
            case OVERLOADED -> "edge; fwd=miss; detail=overloaded";
            case ORIGIN_HELD_BACK -> "edge; detail=origin-held-back"; // the origin was not asked
            case INTERNAL_PATH -> "edge; detail=internal-path";
            case ONLY_IF_CACHED -> "edge; detail=only-if-cached"; // not forwarded, so no fwd (RFC 9211 §2.2)
            case CLIENT_BAD_REQUEST -> "edge; detail=bad-request";
            case METHOD_NOT_ALLOWED -> "edge; detail=method-not-allowed";
        };
    }
}
