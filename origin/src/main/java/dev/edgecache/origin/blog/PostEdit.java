package dev.edgecache.origin.blog;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A create or update request. On update a null field is left unchanged (partial update); on create a null title is
 * an error, a null body is empty, a null slug is made from the title and null tags are none. A blank slug means
 * "make it from the title".
 *
 * @param tags the post's whole tag list (replacing the old one), as given; checked by {@link Tags#check}
 */
public record PostEdit(
        @Nullable String title,
        @Nullable String body,
        @Nullable String slug,
        @Nullable PostStatus status,
        @Nullable List<String> tags) {

    public PostEdit {
        tags = tags == null ? null : List.copyOf(tags);
    }

    /** An edit that leaves the tags as they are (or none, on create). */
    public PostEdit(@Nullable String title, @Nullable String body, @Nullable String slug, @Nullable PostStatus status) {
        this(title, body, slug, status, null);
    }
}
