package dev.edgecache.origin.web;

import dev.edgecache.origin.RejectedException;
import dev.edgecache.origin.account.AccountService;
import dev.edgecache.origin.account.NewSession;
import dev.edgecache.origin.account.SessionUser;
import dev.edgecache.origin.http.Request;
import dev.edgecache.origin.http.Response;
import dev.edgecache.origin.http.Router;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The account part of the JSON API: {@code POST /api/signup}, {@code POST /api/login}, {@code POST /api/logout},
 * {@code GET /api/me}. Errors are {@code {"error": "..."}}.
 */
final class AccountApi {
    /** The body of sign-up and log-in. */
    record Credentials(@Nullable String username, @Nullable String password) {
        String name() {
            return username == null ? "" : username.strip();
        }

        String secret() {
            return password == null ? "" : password;
        }
    }

    private final AccountService accounts;
    private final SessionCookies sessions;

    AccountApi(AccountService accounts, SessionCookies sessions) {
        this.accounts = accounts;
        this.sessions = sessions;
    }

    void register(Router router) {
        router.post("/api/signup", this::signUp)
                .post("/api/login", this::logIn)
                .post("/api/logout", this::logOut)
                .get("/api/me", this::me);
    }

    private Response signUp(Request request, Map<String, String> vars) {
        Credentials c = Json.read(request, Credentials.class);
        NewSession session = accounts.signUp(c.name(), c.secret());
        return Json.write(201, Map.of("username", session.user().username()))
                .withHeader("Set-Cookie", sessions.set(session));
    }

    private Response logIn(Request request, Map<String, String> vars) {
        Credentials c = Json.read(request, Credentials.class);
        NewSession session = accounts.logIn(c.name(), c.secret(), request.clientAddress());
        return Json.write(200, Map.of("username", session.user().username()))
                .withHeader("Set-Cookie", sessions.set(session));
    }

    private Response logOut(Request request, Map<String, String> vars) {
        if (!request.mediaType().equals("application/json")) {
            throw new RejectedException(415, "Content-Type must be application/json");
        }
        if (sessions.current(request).isEmpty()) throw new RejectedException(401, "not signed in");
        sessions.token(request).ifPresent(accounts::logOut);
        return Response.empty(204).withHeader("Set-Cookie", sessions.clear());
    }

    private Response me(Request request, Map<String, String> vars) {
        SessionUser user = sessions.current(request).orElseThrow(() -> new RejectedException(401, "not signed in"));
        return Json.write(200, Map.of("username", user.username()));
    }
}
