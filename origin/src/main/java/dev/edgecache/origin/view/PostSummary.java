package dev.edgecache.origin.view;

/** A published post in a listing: home, profile, a user's posts, a tag, search results. */
public record PostSummary(String username, String slug, String title, String excerpt, String date, int readingMinutes) {
    public String url() {
        return "/" + username + "/" + slug;
    }
}
