package dev.edgecache.origin.web;

import dev.edgecache.origin.RejectedException;
import dev.edgecache.origin.account.SessionUser;
import dev.edgecache.origin.blog.Post;
import dev.edgecache.origin.blog.PostService;
import dev.edgecache.origin.blog.PreviewLinks;
import dev.edgecache.origin.http.FormData;
import dev.edgecache.origin.http.Request;
import dev.edgecache.origin.http.Response;
import dev.edgecache.origin.http.Router;
import dev.edgecache.origin.markdown.Markdown;
import dev.edgecache.origin.view.PreviewView;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Previews of posts in any state, none of them ever shared by the edge ({@code private, no-store}, and the edge
 * routes {@code /editor/**} and {@code /preview/**} as pass): {@code GET /editor/{id}/preview} for the author, with
 * a signed link to share; {@code GET /preview/{id}?expires=…&sig=…} for whoever holds such a link (404 when it is
 * not ours, 410 once expired); {@code POST /editor/preview} renders the editor's Markdown for its live preview,
 * through the same sanitiser as published posts. Preview pages are {@code noindex}; every origin page has
 * {@code Referrer-Policy: same-origin}, so a signed link does not leak through the links in the post.
 */
final class PreviewPages {
    private final PostService posts;
    private final PreviewLinks links;
    private final Markdown markdown;
    private final SessionCookies sessions;
    private final CsrfGuard csrf;
    private final Pages pages;

    PreviewPages(
            PostService posts,
            PreviewLinks links,
            Markdown markdown,
            SessionCookies sessions,
            CsrfGuard csrf,
            Pages pages) {
        this.posts = posts;
        this.links = links;
        this.markdown = markdown;
        this.sessions = sessions;
        this.csrf = csrf;
        this.pages = pages;
    }

    /** Registers before the author pages, whose {@code /editor/{id}} would otherwise claim these paths. */
    void register(Router router) {
        router.post("/editor/preview", this::live)
                .get("/editor/{id}/preview", this::forAuthor)
                .get("/preview/{id}", this::shared);
    }

    private Response forAuthor(Request request, Map<String, String> vars) {
        Optional<SessionUser> user = sessions.current(request);
        if (user.isEmpty()) return Response.seeOther("/login");
        Post post = posts.get(user.get(), AuthorPages.id(vars));
        String until = Instant.ofEpochSecond(links.expiryOfNewLink())
                .toString()
                .substring(0, 16)
                .replace('T', ' ');
        return page(post, post.id(), links.pathFor(post), until);
    }

    private Response shared(Request request, Map<String, String> vars) {
        Optional<Post> post = posts.find(AuthorPages.id(vars));
        PreviewLinks.Verdict verdict = post.isEmpty()
                ? PreviewLinks.Verdict.INVALID
                : links.check(
                        post.get(),
                        request.queryParam("expires").orElse(""),
                        request.queryParam("sig").orElse(""));
        return switch (verdict) {
            case VALID -> page(post.get(), null, null, null);
            case EXPIRED ->
                noIndex(pages.message(
                        410, "Preview expired", "This preview link has expired. Ask the author for a new one."));
            case INVALID -> noIndex(pages.message(404, "Not found", "There is no page at this address."));
        };
    }

    private Response live(Request request, Map<String, String> vars) {
        Optional<SessionUser> user = sessions.current(request);
        if (user.isEmpty()) throw new RejectedException(401, "not signed in");
        FormData form = Pages.form(request);
        csrf.check(request, user, form);
        String body = form.getOrEmpty("body");
        if (body.length() > PostService.MAX_BODY_BYTES)
            throw new RejectedException(413, "post body is larger than 1 MiB");
        return Response.privateHtml(200, markdown.render(body).html());
    }

    private Response page(Post post, @Nullable Long editorId, @Nullable String shareUrl, @Nullable String shareUntil) {
        PreviewView view = new PreviewView(
                post.username(),
                post.title(),
                markdown.render(post.body()),
                post.status().key(),
                editorId,
                shareUrl,
                shareUntil);
        return noIndex(pages.render(200, "preview.jte", view));
    }

    private static Response noIndex(Response r) {
        return r.withHeader("X-Robots-Tag", "noindex, nofollow");
    }
}
