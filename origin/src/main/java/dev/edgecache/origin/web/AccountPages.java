package dev.edgecache.origin.web;

import dev.edgecache.origin.RejectedException;
import dev.edgecache.origin.account.AccountService;
import dev.edgecache.origin.account.NewSession;
import dev.edgecache.origin.account.SessionUser;
import dev.edgecache.origin.http.FormData;
import dev.edgecache.origin.http.Request;
import dev.edgecache.origin.http.Response;
import dev.edgecache.origin.http.Router;
import dev.edgecache.origin.view.AccountFormView;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The HTML account pages: {@code /login}, {@code /signup} (GET form, POST submit) and {@code POST /logout}. */
final class AccountPages {
    private final AccountService accounts;
    private final SessionCookies sessions;
    private final CsrfGuard csrf;
    private final Pages pages;

    AccountPages(AccountService accounts, SessionCookies sessions, CsrfGuard csrf, Pages pages) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.csrf = csrf;
        this.pages = pages;
    }

    void register(Router router) {
        router.get("/login", (r, v) -> form(r, "login.jte"))
                .post("/login", this::logIn)
                .get("/signup", (r, v) -> form(r, "signup.jte"))
                .post("/signup", this::signUp)
                .post("/logout", this::logOut);
    }

    private Response form(Request request, String template) {
        Optional<SessionUser> user = sessions.current(request);
        if (user.isPresent()) return Response.seeOther("/dashboard");
        return show(request, template, 200, "", null);
    }

    private Response logIn(Request request, Map<String, String> vars) {
        FormData form = Pages.form(request);
        csrf.check(request, Optional.empty(), form);
        String username = form.getOrEmpty("username").strip();
        try {
            NewSession session = accounts.logIn(username, form.getOrEmpty("password"), request.clientAddress());
            return Response.seeOther("/dashboard").withHeader("Set-Cookie", sessions.set(session));
        } catch (RejectedException e) {
            Response page = show(request, "login.jte", e.status(), username, e.getMessage());
            return e.status() == 429 ? page.withHeader("Retry-After", "60") : page;
        }
    }

    private Response signUp(Request request, Map<String, String> vars) {
        FormData form = Pages.form(request);
        csrf.check(request, Optional.empty(), form);
        String username = form.getOrEmpty("username").strip();
        try {
            NewSession session = accounts.signUp(username, form.getOrEmpty("password"));
            return Response.seeOther("/dashboard").withHeader("Set-Cookie", sessions.set(session));
        } catch (RejectedException e) {
            return show(request, "signup.jte", e.status(), username, e.getMessage());
        }
    }

    private Response logOut(Request request, Map<String, String> vars) {
        FormData form = Pages.form(request);
        Optional<SessionUser> user = sessions.current(request);
        csrf.check(request, user, form);
        sessions.token(request).ifPresent(accounts::logOut);
        return Response.seeOther("/").withHeader("Set-Cookie", sessions.clear());
    }

    private Response show(Request request, String template, int status, String username, @Nullable String error) {
        CsrfGuard.FormToken token = csrf.tokenFor(request, Optional.empty());
        Response page = pages.render(status, template, new AccountFormView(token.value(), username, error));
        return token.setCookie().map(c -> page.withHeader("Set-Cookie", c)).orElse(page);
    }
}
