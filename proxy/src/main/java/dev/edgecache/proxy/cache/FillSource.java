package dev.edgecache.proxy.cache;

import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.origin.OriginRequest;
import dev.edgecache.proxy.origin.OriginResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link PageCache} fills a miss from before it asks the origin (issue 9: in a cluster, the key's owner
 * over the peer port, so that a cold page is rendered once per cluster). Asked only for plain anonymous renders:
 * not for revalidations, nor on http routes (which may forward credentials and vary per reader).
 */
@FunctionalInterface
public interface FillSource {
    /** A single node: every miss goes to the origin. */
    FillSource ORIGIN = (key, request) -> CompletableFuture.completedFuture(Optional.empty());

    /**
     * The page from elsewhere than the origin, or empty when this source does not have it (then the origin is asked).
     * Must never complete exceptionally: a failing or slow source completes empty, so the reader never sees its
     * error.
     */
    CompletableFuture<Optional<Filled>> fill(EntryKey key, OriginRequest request);

    /**
     * An answer from another node.
     *
     * @param node the node that answered (for {@code Cache-Status})
     * @param response the origin's status, headers and body as that node got or stored them
     * @param entry what that node stored, to store a copy of here; null when the answer is not storable
     */
    record Filled(
            String node, OriginResponse response, @Nullable StoredEntry entry) {}
}
