package dev.edgecache.ctl;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** The answer of {@code POST /purge}: how many keys, and which ones on a dry run. */
record PurgeResult(long purged, List<String> keys) {
    PurgeResult(long purged, @Nullable List<String> keys) {
        this.purged = purged;
        this.keys = keys == null ? List.of() : List.copyOf(keys); // absent unless dry-run
    }

    /** The text shown for {@code request}'s answer. */
    String describe(PurgeRequest request) {
        StringBuilder text = new StringBuilder();
        String count = Plural.of(purged, "key");
        if (request.dryRun()) {
            text.append("dry run: would ").append(request.soft() ? "mark " + count + " stale" : "purge " + count);
            keys.forEach(k -> text.append("\n  ").append(k));
        } else {
            text.append(request.soft() ? "marked " + count + " stale" : "purged " + count);
        }
        return text.toString();
    }
}
