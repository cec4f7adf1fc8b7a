package dev.edgecache.ctl;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The answer of {@code GET /deploys/{id}} (and of {@code POST /deploys}): where a deploy's rendering stands. */
record DeployStatus(
        String id,
        String state,
        int done,
        int total,
        int failures,
        @Nullable String reason,
        List<FailedPage> errors) {
    static final String RENDERING = "rendering";
    static final String ACTIVE = "active";
    static final String FAILED = "failed";

    /**
     * States after which nothing more happens to a watch. Listed rather than "not rendering" so that a state a
     * newer admin port adds before rendering (say "queued") keeps the watch polling instead of ending it.
     */
    private static final Set<String> FINAL_STATES = Set.of(ACTIVE, "retained", FAILED, "deleted");

    DeployStatus(
            String id,
            String state,
            int done,
            int total,
            int failures,
            @Nullable String reason,
            @Nullable List<FailedPage> errors) {
        this.id = id;
        this.state = state;
        this.done = done;
        this.total = total;
        this.failures = failures;
        this.reason = reason;
        this.errors = errors == null ? List.of() : List.copyOf(errors); // the admin port omits an empty list
    }

    boolean finished() {
        return FINAL_STATES.contains(state);
    }

    boolean active() {
        return ACTIVE.equals(state);
    }
}
