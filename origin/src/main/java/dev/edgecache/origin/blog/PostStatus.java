package dev.edgecache.origin.blog;

import java.util.Locale;

/** Where a post is in its life: {@code draft → published → unpublished → published…}. Only published is public. */
public enum PostStatus {
    DRAFT,
    PUBLISHED,
    UNPUBLISHED;

    /** The lower-case name stored in the database and shown in the UI and API. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PostStatus fromKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
