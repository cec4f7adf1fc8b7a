package dev.edgecache.proxy.cache;

import dev.edgecache.common.key.CacheKey;
import java.util.List;
import java.util.Set;

/**
 * What one purge covers: exact targets, target prefixes, tags, or everything. Used to fence renders that were in
 * flight when the purge ran. Immutable.
 *
 * @param targets normalised targets ({@link CacheKey#target()}) purged exactly
 * @param prefixes target prefixes
 * @param tags purge tags
 * @param all everything
 */
public record PurgeMatcher(Set<String> targets, List<String> prefixes, Set<String> tags, boolean all) {
    public PurgeMatcher {
        targets = Set.copyOf(targets);
        prefixes = List.copyOf(prefixes);
        tags = Set.copyOf(tags);
    }

    public static PurgeMatcher everything() {
        return new PurgeMatcher(Set.of(), List.of(), Set.of(), true);
    }

    public boolean matches(CacheKey key, List<String> entryTags) {
        if (all || targets.contains(Variants.primaryTarget(key))) return true; // a URL purge covers its Vary variants
        for (String p : prefixes) {
            if (key.target().startsWith(p)) return true;
        }
        for (String t : entryTags) {
            if (tags.contains(t)) return true;
        }
        return false;
    }
}
