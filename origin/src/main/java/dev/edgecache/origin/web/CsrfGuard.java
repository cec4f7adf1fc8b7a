package dev.edgecache.origin.web;

import dev.edgecache.origin.RejectedException;
import dev.edgecache.origin.account.SessionUser;
import dev.edgecache.origin.account.Tokens;
import dev.edgecache.origin.http.Cookies;
import dev.edgecache.origin.http.FormData;
import dev.edgecache.origin.http.Request;
import java.time.Duration;
import java.util.Optional;

/**
 * CSRF tokens for HTML forms. A signed-in user's forms carry the session's token (synchroniser token); anonymous
 * forms (log-in, sign-up) carry the value of a random {@code csrf} cookie (double submit), which also stops log-in
 * CSRF. Every form POST without the matching {@code csrf} field is refused with 403. The JSON API needs none: it
 * requires {@code Content-Type: application/json}, which a cross-site form cannot send.
 */
final class CsrfGuard {
    static final String COOKIE = "csrf";
    static final String FIELD = "csrf";
    private static final Duration COOKIE_TTL = Duration.ofDays(1);

    /** A token for a form, and the cookie to set when an anonymous visitor has none yet. */
    record FormToken(String value, Optional<String> setCookie) {}

    private final boolean secure;

    CsrfGuard(boolean secure) {
        this.secure = secure;
    }

    FormToken tokenFor(Request request, Optional<SessionUser> user) {
        if (user.isPresent()) return new FormToken(user.get().csrfToken(), Optional.empty());
        Optional<String> cookie = request.cookie(COOKIE).filter(Tokens::wellFormed);
        if (cookie.isPresent()) return new FormToken(cookie.get(), Optional.empty());
        String fresh = Tokens.random();
        return new FormToken(fresh, Optional.of(Cookies.set(COOKIE, fresh, COOKIE_TTL, secure)));
    }

    /** @throws RejectedException 403 when the form's token is missing or does not match */
    void check(Request request, Optional<SessionUser> user, FormData form) {
        Optional<String> expected = user.isPresent()
                ? Optional.of(user.get().csrfToken())
                : request.cookie(COOKIE).filter(Tokens::wellFormed);
        String given = form.getOrEmpty(FIELD);
        if (expected.isEmpty() || given.isEmpty() || !Tokens.same(expected.get(), given)) {
            throw new RejectedException(
                    403, "the form has expired or did not come from this site; reload the page " + "and try again");
        }
    }
}
