package dev.edgecache.origin.blog;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Cache-Tag} vocabulary of the blog, in one place: pages are tagged with these, and changes purge them.
 * <ul>
 *   <li>{@code post:{user}/{slug}} — the post page (and its 404 before publication);
 *   <li>{@code user:{user}} — profile, listing and feed of the user;
 *   <li>{@code tag:{tag}} — the listing {@code /tags/{tag}};
 *   <li>{@code image:{hash}} — every size and format of an uploaded image (purged when it is deleted);
 *   <li>{@code home} — everything that lists posts across users: the home page, {@code /feed.xml} and search
 *       results; {@code sitemap} — {@code /sitemap.xml}.
 * </ul>
 */
public final class PurgeTags {
    public static final String HOME = "home";
    public static final String SITEMAP = "sitemap";

    private PurgeTags() {}

    public static String post(String username, String slug) {
        return "post:" + username + "/" + slug;
    }

    public static String tag(String tag) {
        return "tag:" + tag;
    }

    public static String image(String hash) {
        return "image:" + hash;
    }

    public static String user(String username) {
        return "user:" + username;
    }

    /**
     * What to purge when a post changes from {@code before} (null when created) to {@code after} (null when
     * deleted): nothing if it was never public and is not public now.
     */
    static List<String> forChange(@Nullable Post before, @Nullable Post after) {
        boolean wasPublic = before != null && before.isPublic();
        boolean isPublic = after != null && after.isPublic();
        if (!wasPublic && !isPublic) return List.of();
        Set<String> tags = new LinkedHashSet<>();
        if (before != null) tags.add(post(before.username(), before.slug()));
        if (after != null) tags.add(post(after.username(), after.slug()));
        String user = after != null
                ? after.username()
                : Objects.requireNonNull(before).username(); // wasPublic
        tags.add(user(user));
        tags.add(HOME);
        tags.add(SITEMAP);
        return List.copyOf(tags);
    }
}
