package dev.edgecache.origin.web;

import dev.edgecache.common.http.EntityTags;
import dev.edgecache.origin.account.SessionUser;
import dev.edgecache.origin.http.Handler;
import dev.edgecache.origin.http.Request;
import dev.edgecache.origin.http.Response;
import dev.edgecache.origin.render.CacheHints;
import dev.edgecache.origin.render.RenderRequest;
import dev.edgecache.origin.render.RenderedPage;
import dev.edgecache.origin.render.RendererRegistry;
import java.util.Optional;

/**
 * Every GET that no application route claims: resolved to a renderer by path, rendered, and given the headers the
 * edge caches by: a strong {@code ETag} (hash of the body), {@code Cache-Control: public, max-age=0,
 * must-revalidate} (plus {@code s-maxage} for a TTL hint) and {@code Cache-Tag}. {@code If-None-Match} is answered
 * with 304. Pages a renderer marks personal are {@code private, no-store} instead.
 */
final class PublicPages implements Handler {
    static final String SHARED = "public, max-age=0, must-revalidate";

    private final RendererRegistry registry;
    private final SessionCookies sessions;

    PublicPages(RendererRegistry registry, SessionCookies sessions) {
        this.registry = registry;
        this.sessions = sessions;
    }

    @Override
    public Response handle(Request request) {
        if (!request.isGetOrHead()) {
            return Response.text(405, "method not allowed").withHeader("Allow", "GET, HEAD");
        }
        Optional<RendererRegistry.Match> match = registry.resolve(request.path());
        if (match.isEmpty()) return Response.text(404, "not found");
        Optional<String> user = sessions.current(request).map(SessionUser::username);
        RenderRequest renderRequest =
                new RenderRequest(request.path(), match.get().pathVariables(), request.query(), user);
        return toResponse(request, match.get().renderer().render(renderRequest));
    }

    static Response toResponse(Request request, RenderedPage page) {
        CacheHints hints = page.cache();
        Response response = Response.of(page.status(), page.contentType(), page.body());
        if (page.location() != null) response = response.withHeader("Location", page.location());
        if (hints.personal()) return response.withHeader("Cache-Control", Response.PRIVATE);
        String etag = EntityTags.ofBody(page.body());
        String cacheControl = hints.ttl()
                .map(ttl -> "public, max-age=0, s-maxage=" + ttl.toSeconds() + ", must-revalidate")
                .orElse(SHARED);
        response = response.withHeader("Cache-Control", cacheControl).withHeader("ETag", etag);
        if (!hints.tags().isEmpty()) response = response.withHeader("Cache-Tag", String.join(", ", hints.tags()));
        Optional<String> ifNoneMatch = request.header("if-none-match");
        if (page.status() == 200 && ifNoneMatch.isPresent() && EntityTags.noneMatchFails(ifNoneMatch.get(), etag)) {
            return new Response(
                    304,
                    response.headers().stream()
                            .filter(h -> !h.name().equals("Content-Type"))
                            .toList(),
                    new byte[0]);
        }
        return response;
    }
}
