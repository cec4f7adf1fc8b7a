package dev.edgecache.ctl;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** The answer of {@code GET /keys}: stored keys under a prefix in the active deploy, maybe cut at the limit. */
record KeyList(@Nullable String deploy, List<String> keys, boolean truncated) {
    KeyList(@Nullable String deploy, @Nullable List<String> keys, boolean truncated) {
        this.deploy = deploy;
        this.keys = keys == null ? List.of() : List.copyOf(keys);
        this.truncated = truncated;
    }
}
