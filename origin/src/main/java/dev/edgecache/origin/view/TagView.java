package dev.edgecache.origin.view;

import java.util.List;

/** {@code /tags/{tag}?page=N}: published posts with one tag, newest first. */
public record TagView(String tag, List<PostSummary> posts, int page, boolean hasNext) {
    public boolean hasPrevious() {
        return page > 1;
    }
}
