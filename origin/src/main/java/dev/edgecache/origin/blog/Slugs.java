package dev.edgecache.origin.blog;

import dev.edgecache.origin.RejectedException;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Post slugs: lower-case ASCII words joined by single hyphens, at most 80 characters, unique per user. */
public final class Slugs {
    public static final int MAX_LENGTH = 80;
    public static final Pattern VALID = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");
    /** Second path segments the blog uses itself. */
    public static final Set<String> RESERVED = Set.of("posts", "feed", "edit", "new");

    private Slugs() {}

    /** {@code "Hello, Wörld!"} → {@code hello-world}; {@code post} when nothing usable is left. */
    public static String fromTitle(String title) {
        String s = Normalizer.normalize(title, Normalizer.Form.NFD)
                .replaceAll("\\p{M}+", "")
                .toLowerCase(Locale.ROOT);
        s = s.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > MAX_LENGTH) s = s.substring(0, MAX_LENGTH).replaceAll("-+$", "");
        return s.isEmpty() || RESERVED.contains(s) ? "post" + (s.isEmpty() ? "" : "-" + s) : s;
    }

    public static boolean isValid(String slug) {
        return slug.length() <= MAX_LENGTH && VALID.matcher(slug).matches() && !RESERVED.contains(slug);
    }

    /** @throws RejectedException 400 naming the rule */
    public static void check(String slug) {
        if (!isValid(slug)) {
            throw RejectedException.badRequest("invalid slug '" + abbreviate(slug)
                    + "': use lower-case letters, digits and single hyphens, at most " + MAX_LENGTH
                    + " characters, not one of "
                    + String.join(", ", RESERVED.stream().sorted().toList()));
        }
    }

    /** {@code base-n}, cut so that it stays within the length limit. */
    static String numbered(String base, int n) {
        String suffix = "-" + n;
        String cut =
                base.length() + suffix.length() > MAX_LENGTH ? base.substring(0, MAX_LENGTH - suffix.length()) : base;
        return cut.replaceAll("-+$", "") + suffix;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
