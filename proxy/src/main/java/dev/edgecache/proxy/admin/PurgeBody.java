package dev.edgecache.proxy.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /purge}: one or more selectors, and how to purge.
 *
 * @param soft mark stale instead of deleting: the next request gets the stale page while one refresh runs
 * @param dryRun list the matching keys, touch nothing
 * @param waitFor ({@code wait}) in a cluster, {@code "all"}: answer once every live member has applied the purge (bounded)
 * @param scope in a cluster, {@code "local"}: purge this node only, on purpose (default {@code "cluster"})
 */
record PurgeBody(
        @Nullable List<String> urls,
        @Nullable List<String> prefixes,
        @Nullable List<String> tags,
        @Nullable Boolean all,
        @Nullable Boolean soft,
        @JsonProperty("dry-run") @Nullable Boolean dryRun,
        @JsonProperty("wait") @Nullable String waitFor,
        @Nullable String scope)
        implements AdminJson.Validated {
    static final int MAX_VALUES = 10_000;

    PurgeBody {
        urls = urls == null ? List.of() : List.copyOf(urls);
        prefixes = prefixes == null ? List.of() : List.copyOf(prefixes);
        tags = tags == null ? List.of() : List.copyOf(tags);
        all = Boolean.TRUE.equals(all);
        soft = Boolean.TRUE.equals(soft);
        dryRun = Boolean.TRUE.equals(dryRun);
    }

    @Override
    public List<String> urls() {
        return Objects.requireNonNull(urls); // defaulted in the constructor
    }

    @Override
    public List<String> prefixes() {
        return Objects.requireNonNull(prefixes); // defaulted in the constructor
    }

    @Override
    public List<String> tags() {
        return Objects.requireNonNull(tags); // defaulted in the constructor
    }

    @Override
    public Boolean all() {
        return Objects.requireNonNull(all); // defaulted in the constructor
    }

    @Override
    public Boolean soft() {
        return Objects.requireNonNull(soft); // defaulted in the constructor
    }

    @Override
    public Boolean dryRun() {
        return Objects.requireNonNull(dryRun); // defaulted in the constructor
    }

    /** Checked after parsing, so that an unknown field is reported as such rather than as a missing selector. */
    @Override
    public void validate() {
        if (!all() && urls().isEmpty() && prefixes().isEmpty() && tags().isEmpty()) {
            throw new IllegalArgumentException("give urls, prefixes, tags or \"all\": true");
        }
        if (urls().size() + prefixes().size() + tags().size() > MAX_VALUES) {
            throw new IllegalArgumentException("at most " + MAX_VALUES + " urls, prefixes and tags in one purge");
        }
        for (String p : prefixes()) {
            if (!p.startsWith("/")) throw new IllegalArgumentException("prefixes must start with '/', got '" + p + "'");
        }
        for (String t : tags()) {
            if (t.isBlank()) throw new IllegalArgumentException("tags must not be empty");
        }
        if (waitFor != null && !waitFor.equals("all") && !waitFor.equals("local")) {
            throw new IllegalArgumentException("wait must be \"all\" or \"local\", got '" + waitFor + "'");
        }
        if (scope != null && !scope.equals("cluster") && !scope.equals("local")) {
            throw new IllegalArgumentException("scope must be \"cluster\" or \"local\", got '" + scope + "'");
        }
    }

    /** True for {@code "scope":"local"}: this node only, even in a cluster. */
    boolean localOnly() {
        return "local".equals(scope);
    }

    /** True for {@code "wait":"all"}. */
    boolean waitAll() {
        return "all".equals(waitFor);
    }

    /** The purge kind for metrics and the audit log. */
    String kind() {
        if (all()) return "all";
        int kinds = (urls().isEmpty() ? 0 : 1) + (prefixes().isEmpty() ? 0 : 1) + (tags().isEmpty() ? 0 : 1);
        if (kinds > 1) return "mixed";
        return !urls().isEmpty() ? "urls" : !prefixes().isEmpty() ? "prefixes" : "tags";
    }
}
