package dev.edgecache.proxy.cache;

import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.config.RouteMode;
import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.origin.OriginRequest;
import dev.edgecache.proxy.origin.OriginResponse;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * How a route's mode stores: the origin request that fills a miss, what of the answer is stored and for how long,
 * and when a stored page may still answer. Chosen once per route ({@link Route#storage()}), so the rules of a mode
 * live in one class and the cache below them ({@link PageCache}: lookup, collapsing, fenced writes) asks no "which
 * mode?" of its own. Implementations are stateless and thread-safe.
 */
public sealed interface StoragePolicy permits PageStorage, HttpStorage, NoStorage {

    /** The policy of {@code mode}. */
    static StoragePolicy of(RouteMode mode) {
        return switch (mode) {
            case PERSISTENT, TTL -> PageStorage.INSTANCE;
            case HTTP -> HttpStorage.INSTANCE;
            case PASS -> NoStorage.INSTANCE;
        };
    }

    /** The request that asks the origin for {@code key}, built from the reader's fields. */
    OriginRequest originRequest(CacheKey key, List<Header> reader, ClientHop hop);

    /**
     * Whether the reader's request carries a credential that the origin sees; {@code readerSent} tells whether the
     * reader sent a field (by name, case-insensitive) ({@code Authorization} on http routes):
     * such a request is never collapsed with anyone's and is answered from the store only when the stored response
     * allows it (RFC 9111 §3.5).
     */
    boolean credentialed(Predicate<String> readerSent);

    /** Whether a stored response may answer a credentialed request. */
    boolean answersCredentialed(StoredEntry entry);

    /**
     * Whether another node of a cluster may fill a miss (issue 9): only where a page is the same whoever asks,
     * never where it depends on request fields the origin names.
     */
    boolean fillsFromPeers();

    /** Why {@code response} must not be stored, or empty when it may be. */
    Optional<String> notStorableReason(RouteConfig route, OriginResponse response, boolean credentialed);

    /** The entry to store; call only when {@link #notStorableReason} is empty. */
    StoredEntry toEntry(RouteConfig route, OriginResponse response, String deploy, long nowMillis, long purgeSequence);

    /** The request fields a stored response is selected by ({@code Vary}); empty when it is one page for all. */
    List<String> selectingFields(OriginResponse response);

    /** Whether a failed refresh of {@code expired} may still serve it (stale-if-error). */
    boolean mayServeOnError(RouteConfig route, StoredEntry expired, long nowMillis);
}
