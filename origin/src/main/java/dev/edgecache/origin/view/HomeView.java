package dev.edgecache.origin.view;

import java.util.List;

/** The home page, {@code /?page=N}: latest posts across users, newest first, with "older posts". */
public record HomeView(List<PostSummary> posts, int page, boolean hasNext) {
    public boolean hasPrevious() {
        return page > 1;
    }
}
