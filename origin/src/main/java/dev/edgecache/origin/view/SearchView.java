package dev.edgecache.origin.view;

import java.util.List;

/**
 * {@code /search?q=…&page=N}: published posts matching every word of the query, best match first.
 *
 * @param query the query as typed (empty: just the form)
 */
public record SearchView(String query, List<PostSummary> posts, int page, boolean hasNext) {
    public boolean hasPrevious() {
        return page > 1;
    }

    public boolean searched() {
        return !query.isBlank();
    }
}
