package dev.edgecache.origin.account;

/**
 * The signed-in user of a request, as resolved from a valid session cookie.
 *
 * @param csrfToken the session's form token; every HTML form POST must echo it
 */
public record SessionUser(long userId, String username, String csrfToken) {
    @Override
    public String toString() {
        return "SessionUser[userId=" + userId + ", username=" + username + "]"; // never print the token
    }
}
