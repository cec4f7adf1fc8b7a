package dev.edgecache.proxy.cache;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.key.KeyRules;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.proxy.store.TieredStore;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Removes (hard) or marks stale (soft) what a purge selects, in every live deploy: content purges apply to the
 * pages a rollback would bring back too. The purge is recorded in the {@link PurgeFence} before anything is
 * deleted. Blocking (disk): call it off the event loops. Thread-safe.
 */
public final class Purger {
    /** Upper bound on keys one purge collects, so a purge cannot exhaust memory. */
    static final int MAX_KEYS = 1_000_000;

    private final TieredStore store;
    private final PurgeFence fence;
    private final Supplier<List<String>> liveDeploys;
    private final InstantSource clock;
    private final KeyRules keyRules;

    public Purger(
            TieredStore store,
            PurgeFence fence,
            Supplier<List<String>> liveDeploys,
            InstantSource clock,
            KeyRules keyRules) {
        this.keyRules = keyRules;
        this.store = store;
        this.fence = fence;
        this.liveDeploys = liveDeploys;
        this.clock = clock;
    }

    /**
     * @param urls request targets or absolute URLs, normalised like reader requests; with sites, an absolute URL
     *     purges its own site and a target every site
     * @param prefixes target prefixes, e.g. {@code /alice/}
     */
    public PurgeResult purge(
            List<String> urls, List<String> prefixes, List<String> tags, boolean all, boolean soft, boolean dryRun) {
        List<CacheKey> exact = new ArrayList<>();
        for (String u : urls) exact.addAll(keyRules.keysFor(u));
        Set<String> targets = new LinkedHashSet<>();
        for (CacheKey k : exact) targets.add(k.target());
        PurgeMatcher matcher =
                all ? PurgeMatcher.everything() : new PurgeMatcher(targets, prefixes, Set.copyOf(tags), false);
        if (dryRun) return apply(exact, prefixes, tags, all, soft, true);
        long sequence = fence.record(matcher);
        try {
            return apply(exact, prefixes, tags, all, soft, false);
        } finally {
            fence.finished(sequence);
        }
    }

    /**
     * Selects the keys in every live deploy and removes or marks them (or, on a dry run, lists them). Tags go first,
     * each in one pass over its index on disk that checks, deletes or marks the pages it names (issue 12: a 10,000-page
     * tag purge read every page twice before); the pages found are then dropped from the memory tier, where a soft
     * purge's next read finds the page marked stale on disk. URLs, prefixes and {@code all} select keys, then remove
     * or mark them the same way (a soft purge writes a mark per page, not the page again).
     */
    private PurgeResult apply(
            List<CacheKey> exact, List<String> prefixes, List<String> tags, boolean all, boolean soft, boolean dryRun) {
        Set<EntryKey> keys = new LinkedHashSet<>();
        Set<EntryKey> byTag = new HashSet<>();
        long now = clock.millis();
        for (String deploy : liveDeploys.get()) {
            for (String t : tags) {
                if (dryRun) keys.addAll(store.keysTagged(deploy, t));
                else byTag.addAll(purgeTagged(deploy, t, soft, now));
            }
            if (all) keys.addAll(store.keys(deploy, "/", MAX_KEYS));
            for (CacheKey key : exact) {
                EntryKey k = new EntryKey(deploy, key);
                if (store.contains(k)) { // a key check: no decode, no promotion of what is about to go
                    keys.add(k);
                    keys.addAll(store.keys(deploy, Variants.prefixOf(k.key()), MAX_KEYS)); // its Vary variants, if any
                }
            }
            for (String p : prefixes) keys.addAll(store.keys(deploy, p, MAX_KEYS));
        }
        if (dryRun) {
            List<EntryKey> selected = List.copyOf(keys);
            return new PurgeResult(
                    selected.size(), selected.stream().map(EntryKey::toString).toList());
        }
        keys.removeAll(byTag);
        List<EntryKey> selected = List.copyOf(keys);
        int done = soft ? store.markStale(selected, now).size() : store.removeAll(selected);
        return new PurgeResult(byTag.size() + done, List.of());
    }

    /** One tag in one deploy: deleted or marked on disk in one pass, then dropped from memory. */
    private List<EntryKey> purgeTagged(String deploy, String tag, boolean soft, long now) {
        List<EntryKey> found = soft
                ? store.disk().markTaggedStale(deploy, tag, now)
                : store.disk().removeTagged(deploy, tag);
        for (EntryKey k : found) store.memory().remove(k);
        return found;
    }
}
