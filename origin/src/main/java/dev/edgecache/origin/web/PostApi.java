package dev.edgecache.origin.web;

import dev.edgecache.origin.RejectedException;
import dev.edgecache.origin.account.SessionUser;
import dev.edgecache.origin.blog.Post;
import dev.edgecache.origin.blog.PostEdit;
import dev.edgecache.origin.blog.PostService;
import dev.edgecache.origin.blog.PostStatus;
import dev.edgecache.origin.http.Request;
import dev.edgecache.origin.http.Response;
import dev.edgecache.origin.http.Router;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The posts part of the JSON API: {@code GET/POST /api/posts}, {@code GET/PUT/DELETE /api/posts/{id}}. Every call
 * needs the session cookie (401); bodies must be {@code application/json} (415). A cross-site page can neither send
 * that content type nor a {@code PUT}/{@code DELETE} without a CORS preflight, which the origin never grants; that
 * is the API's CSRF defence, together with {@code SameSite=Lax}.
 */
final class PostApi {
    /** The body of create and update; on update, absent fields are left unchanged. */
    record PostInput(
            @Nullable String title,
            @Nullable String body,
            @Nullable String slug,
            @Nullable Boolean published,
            @Nullable List<String> tags) {}

    private final PostService posts;
    private final SessionCookies sessions;

    PostApi(PostService posts, SessionCookies sessions) {
        this.posts = posts;
        this.sessions = sessions;
    }

    void register(Router router) {
        router.get(
                        "/api/posts",
                        (r, v) -> Json.write(
                                200,
                                Map.of(
                                        "posts",
                                        posts.mine(user(r)).stream()
                                                .map(p -> summary(p, false))
                                                .toList())))
                .post("/api/posts", this::create)
                .get("/api/posts/{id}", (r, v) -> {
                    SessionUser user = user(r);
                    long id = AuthorPages.id(v);
                    Map<String, Object> out = summary(posts.get(user, id), true);
                    out.put("tags", posts.tagsOf(user, id));
                    return Json.write(200, out);
                })
                .put("/api/posts/{id}", this::update)
                .delete("/api/posts/{id}", this::delete);
    }

    private Response create(Request request, Map<String, String> vars) {
        SessionUser user = user(request);
        PostInput in = Json.read(request, PostInput.class);
        PostStatus status = Boolean.TRUE.equals(in.published()) ? PostStatus.PUBLISHED : PostStatus.DRAFT;
        Post post = posts.create(user, new PostEdit(in.title(), in.body(), in.slug(), status, in.tags()));
        return Json.write(201, summary(post, false)).withHeader("Location", "/api/posts/" + post.id());
    }

    private Response update(Request request, Map<String, String> vars) {
        SessionUser user = user(request);
        long id = AuthorPages.id(vars);
        PostInput in = Json.read(request, PostInput.class);
        PostStatus status = in.published() == null ? null : in.published() ? PostStatus.PUBLISHED : PostStatus.DRAFT;
        Post post = posts.update(user, id, new PostEdit(in.title(), in.body(), in.slug(), status, in.tags()));
        return Json.write(200, summary(post, false));
    }

    private Response delete(Request request, Map<String, String> vars) {
        posts.delete(user(request), AuthorPages.id(vars));
        return Response.empty(204);
    }

    private SessionUser user(Request request) {
        return sessions.current(request).orElseThrow(() -> new RejectedException(401, "not signed in"));
    }

    private static Map<String, Object> summary(Post post, boolean withContent) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", post.id());
        out.put("slug", post.slug());
        out.put("url", post.url());
        out.put("status", post.status().key());
        out.put("published", post.isPublic());
        out.put("title", post.title());
        if (withContent) out.put("body", post.body());
        return out;
    }
}
