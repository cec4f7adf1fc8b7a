package dev.edgecache.origin.account;

import dev.edgecache.origin.RejectedException;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Username rules: {@code [a-z0-9-]{3,30}}, and not a name the site's own paths use. The reserved set is the fixed
 * list below plus the first segment of every route mounted on another renderer (for example {@code docs}).
 * Immutable and thread-safe.
 */
public final class Usernames {
    public static final Pattern VALID = Pattern.compile("[a-z0-9-]{3,30}");
    public static final Set<String> ALWAYS_RESERVED = Set.of(
            "admin",
            "login",
            "logout",
            "signup",
            "api",
            "assets",
            "dashboard",
            "editor",
            "feed.xml",
            "tags",
            "search",
            "preview",
            "images",
            "sitemap.xml",
            "_edge",
            "robots.txt",
            "favicon.ico",
            "static",
            "settings",
            "about",
            "help",
            "www",
            "root",
            "system");

    private final Set<String> reserved;

    public Usernames(Set<String> extraReserved) {
        Set<String> all = new HashSet<>(ALWAYS_RESERVED);
        all.addAll(extraReserved);
        this.reserved = Set.copyOf(all);
    }

    /** True for a name that could belong to a user (used to short-cut public lookups). */
    public static boolean looksValid(String name) {
        return VALID.matcher(name).matches();
    }

    /** @throws RejectedException 400 for a malformed or reserved name */
    public void checkNew(String name) {
        if (name.isEmpty()) throw RejectedException.badRequest("username is required");
        if (!looksValid(name)) {
            throw RejectedException.badRequest(
                    "username must be 3 to 30 characters of lower-case letters, digits and '-'");
        }
        if (reserved.contains(name)) throw RejectedException.badRequest("username '" + name + "' is reserved");
    }

    public Set<String> reserved() {
        return reserved;
    }
}
