package dev.edgecache.origin.view;

import java.util.List;

/** {@code /{user}/posts?page=N}: one page of the user's posts, newest first. */
public record PostListView(String username, List<PostSummary> posts, int page, boolean hasNext) {
    public boolean hasPrevious() {
        return page > 1;
    }
}
