package dev.edgecache.origin.view;

import org.jspecify.annotations.Nullable;

/**
 * {@code /editor/new} and {@code /editor/{id}}: the post form.
 *
 * @param id null for a new post
 * @param tags the tags as one comma-separated line
 * @param url the public URL while published
 * @param message an error or notice to show above the form
 */
public record EditorView(
        String username,
        String csrf,
        @Nullable Long id,
        String title,
        String slug,
        String body,
        String tags,
        String status,
        @Nullable String url,
        @Nullable String message) {

    public String action() {
        return id == null ? "/editor/new" : "/editor/" + id;
    }

    public boolean published() {
        return status.equals("published");
    }
}
