package dev.edgecache.origin.blog;

import org.jspecify.annotations.Nullable;

/**
 * A post as stored. Times are epoch milliseconds.
 *
 * @param publishedAt when it was first published; kept across unpublish and republish
 */
public record Post(
        long id,
        long userId,
        String username,
        String slug,
        String title,
        String body,
        PostStatus status,
        long createdAt,
        long updatedAt,
        @Nullable Long publishedAt) {

    /** The public URL path, {@code /{user}/{slug}} (served only while published). */
    public String url() {
        return "/" + username + "/" + slug;
    }

    public boolean isPublic() {
        return status == PostStatus.PUBLISHED;
    }
}
