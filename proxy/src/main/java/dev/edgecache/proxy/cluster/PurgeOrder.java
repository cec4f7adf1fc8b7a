package dev.edgecache.proxy.cluster;

import java.util.List;

/**
 * A purge as it travels through the cluster log: what {@code POST /purge} selected, without the per-call options
 * (dry run, wait, scope), which never leave the node that took the call.
 */
public record PurgeOrder(List<String> urls, List<String> prefixes, List<String> tags, boolean all, boolean soft) {
    public PurgeOrder {
        urls = urls == null ? List.of() : List.copyOf(urls);
        prefixes = prefixes == null ? List.of() : List.copyOf(prefixes);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** Every stored page marked stale: what a node does when it cannot know which purges it missed. */
    static PurgeOrder softEverything() {
        return new PurgeOrder(List.of(), List.of(), List.of(), true, true);
    }
}
