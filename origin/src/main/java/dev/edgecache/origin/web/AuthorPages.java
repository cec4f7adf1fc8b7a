package dev.edgecache.origin.web;

import dev.edgecache.origin.RejectedException;
import dev.edgecache.origin.account.SessionUser;
import dev.edgecache.origin.blog.Post;
import dev.edgecache.origin.blog.PostEdit;
import dev.edgecache.origin.blog.PostService;
import dev.edgecache.origin.blog.PostStatus;
import dev.edgecache.origin.blog.Tags;
import dev.edgecache.origin.http.FormData;
import dev.edgecache.origin.http.Request;
import dev.edgecache.origin.http.Response;
import dev.edgecache.origin.http.Router;
import dev.edgecache.origin.view.DashboardView;
import dev.edgecache.origin.view.EditorView;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The signed-in author's HTML pages: {@code /dashboard}, {@code /editor/new}, {@code /editor/{id}} and
 * {@code POST /editor/{id}/delete}. Anonymous visitors are sent to {@code /login}; every POST checks the form token.
 */
final class AuthorPages {
    private final PostService posts;
    private final SessionCookies sessions;
    private final CsrfGuard csrf;
    private final Pages pages;

    AuthorPages(PostService posts, SessionCookies sessions, CsrfGuard csrf, Pages pages) {
        this.posts = posts;
        this.sessions = sessions;
        this.csrf = csrf;
        this.pages = pages;
    }

    void register(Router router) {
        router.get("/dashboard", (r, v) -> signedIn(r, this::dashboard))
                .get("/editor/new", (r, v) -> signedIn(r, u -> editor(200, u, null, null)))
                .post("/editor/new", (r, v) -> signedIn(r, u -> create(r, u)))
                .get("/editor/{id}", (r, v) -> signedIn(r, u -> editor(200, u, posts.get(u, id(v)), notice(r))))
                .post("/editor/{id}", (r, v) -> signedIn(r, u -> save(r, u, id(v))))
                .post("/editor/{id}/delete", (r, v) -> signedIn(r, u -> delete(r, u, id(v))));
    }

    private interface Action {
        Response apply(SessionUser user);
    }

    private Response signedIn(Request request, Action action) {
        Optional<SessionUser> user = sessions.current(request);
        if (user.isEmpty()) {
            return request.isGetOrHead()
                    ? Response.seeOther("/login")
                    : pages.message(401, "Not signed in", "Your session has ended. Log in and try again.");
        }
        return action.apply(user.get());
    }

    private Response dashboard(SessionUser user) {
        var items = posts.mine(user).stream()
                .map(p -> new DashboardView.Item(
                        p.id(),
                        p.title(),
                        p.status().key(),
                        p.isPublic() ? p.url() : null,
                        Instant.ofEpochMilli(p.updatedAt())
                                .toString()
                                .substring(0, 16)
                                .replace('T', ' ')))
                .toList();
        return pages.render(200, "dashboard.jte", new DashboardView(user.username(), user.csrfToken(), items));
    }

    private Response create(Request request, SessionUser user) {
        FormData form = Pages.form(request);
        csrf.check(request, Optional.of(user), form);
        PostEdit edit = edit(form, true);
        try {
            Post post = posts.create(user, edit);
            return Response.seeOther("/editor/" + post.id() + "?notice=" + (post.isPublic() ? "published" : "created"));
        } catch (RejectedException e) {
            return withInput(e, user, null, form);
        }
    }

    private Response save(Request request, SessionUser user, long id) {
        FormData form = Pages.form(request);
        csrf.check(request, Optional.of(user), form);
        Post current = posts.get(user, id);
        try {
            Post post = posts.update(user, id, edit(form, false));
            String notice = switch (form.getOrEmpty("action")) {
                case "publish" -> "Saved and published: readers see it now.";
                case "unpublish" -> "Saved and unpublished: readers no longer see it.";
                default -> post.isPublic() ? "Saved. Readers see the new version now." : "Saved.";
            };
            return editor(200, user, post, notice);
        } catch (RejectedException e) {
            if (e.status() == 403 || e.status() == 404) throw e;
            return withInput(e, user, current, form);
        }
    }

    private Response delete(Request request, SessionUser user, long id) {
        FormData form = Pages.form(request);
        csrf.check(request, Optional.of(user), form);
        posts.delete(user, id);
        return Response.seeOther("/dashboard");
    }

    private Response editor(int status, SessionUser user, @Nullable Post post, @Nullable String message) {
        EditorView view = post == null
                ? new EditorView(user.username(), user.csrfToken(), null, "", "", "", "", "draft", null, message)
                : new EditorView(
                        user.username(),
                        user.csrfToken(),
                        post.id(),
                        post.title(),
                        post.slug(),
                        post.body(),
                        String.join(", ", posts.tagsOf(user, post.id())),
                        post.status().key(),
                        post.isPublic() ? post.url() : null,
                        message);
        return pages.render(status, "editor.jte", view);
    }

    /** The form again with what the user typed and the error, so nothing is lost. */
    private Response withInput(RejectedException e, SessionUser user, @Nullable Post current, FormData form) {
        String body = e.status() == 413 ? "" : form.getOrEmpty("body");
        EditorView view = new EditorView(
                user.username(),
                user.csrfToken(),
                current == null ? null : current.id(),
                form.getOrEmpty("title"),
                form.getOrEmpty("slug"),
                body,
                form.getOrEmpty("tags"),
                current == null ? "draft" : current.status().key(),
                current != null && current.isPublic() ? current.url() : null,
                e.getMessage());
        return pages.render(e.status(), "editor.jte", view);
    }

    /** The notice after a new post's redirect to its editor ({@code ?notice=}); only known words are shown. */
    private static @Nullable String notice(Request request) {
        return switch (request.queryParam("notice").orElse("")) {
            case "created" -> "Saved as a draft.";
            case "published" -> "Saved and published: readers see it now.";
            default -> null;
        };
    }

    private static PostEdit edit(FormData form, boolean creating) {
        PostStatus status = switch (form.getOrEmpty("action")) {
            case "publish" -> PostStatus.PUBLISHED;
            case "unpublish" -> PostStatus.UNPUBLISHED;
            default -> creating ? PostStatus.DRAFT : null;
        };
        return new PostEdit(
                form.getOrEmpty("title"),
                form.getOrEmpty("body"),
                form.getOrEmpty("slug"),
                status,
                Tags.parse(form.getOrEmpty("tags")));
    }

    static long id(Map<String, String> vars) {
        try {
            return Long.parseLong(vars.get("id"));
        } catch (NumberFormatException e) {
            throw RejectedException.notFound("no such post");
        }
    }
}
