package dev.edgecache.origin.web;

import dev.edgecache.origin.account.AccountService;
import dev.edgecache.origin.account.NewSession;
import dev.edgecache.origin.account.SessionUser;
import dev.edgecache.origin.http.Cookies;
import dev.edgecache.origin.http.Request;
import java.util.Optional;

/** The session cookie {@code sid}: resolving it to a user, setting it after log-in, clearing it at log-out. */
final class SessionCookies {
    static final String NAME = "sid";

    private final AccountService accounts;
    private final boolean secure;

    SessionCookies(AccountService accounts, boolean secure) {
        this.accounts = accounts;
        this.secure = secure;
    }

    Optional<SessionUser> current(Request request) {
        return request.cookie(NAME).flatMap(accounts::session);
    }

    Optional<String> token(Request request) {
        return request.cookie(NAME);
    }

    String set(NewSession session) {
        return Cookies.set(NAME, session.token(), accounts.sessionTtl(), secure);
    }

    String clear() {
        return Cookies.clear(NAME, secure);
    }
}
