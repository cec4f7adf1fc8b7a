package dev.edgecache.origin.view;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code /dashboard}: the signed-in user's posts in every state. */
public record DashboardView(String username, String csrf, List<Item> posts) {
    /** One row: {@code url} is set only for published posts. */
    public record Item(
            long id, String title, String status, @Nullable String url, String updated) {}
}
