package dev.edgecache.origin.web;

import dev.edgecache.common.http.EntityTags;
import dev.edgecache.origin.RejectedException;
import dev.edgecache.origin.account.SessionUser;
import dev.edgecache.origin.blog.Images;
import dev.edgecache.origin.blog.PurgeTags;
import dev.edgecache.origin.http.Request;
import dev.edgecache.origin.http.Response;
import dev.edgecache.origin.http.Router;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Post images: {@code POST /api/images} (the raw bytes, {@code Content-Type: image/png} or {@code image/jpeg}, the
 * session cookie; a cross-site page cannot send those content types without a CORS preflight, which the origin never
 * grants) answers 201 with the URL to use in Markdown; {@code GET /images/{hash}[-{width}].{png|jpg|webp}} serves
 * them with {@code Cache-Control: public, max-age=31536000, immutable}: the name is the content's hash, so it never
 * changes; it is tagged {@code image:{hash}} so that deleting the image (with the last post that used it) purges
 * every size and format at once. The format is in the URL, never negotiated (see {@link Images}). The edge routes
 * {@code /images/**} as persistent.
 */
final class ImagePages {
    static final String CACHE_CONTROL = "public, max-age=31536000, immutable";
    private static final Pattern NAME = Pattern.compile("([0-9a-f]{32})(?:-([0-9]{3,4}))?\\.(png|jpg|webp)");

    private final Images images;
    private final SessionCookies sessions;

    ImagePages(Images images, SessionCookies sessions) {
        this.images = images;
        this.sessions = sessions;
    }

    void register(Router router) {
        router.post("/api/images", this::upload)
                .get("/images/{name}", (r, v) -> serve(r, Objects.requireNonNull(v.get("name"))));
    }

    private Response upload(Request request, Map<String, String> vars) {
        SessionUser user = sessions.current(request).orElseThrow(() -> new RejectedException(401, "not signed in"));
        Images.Stored stored = images.upload(user, request.mediaType(), request.body());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", stored.url());
        out.put("width", stored.width());
        out.put("height", stored.height());
        out.put("markdown", "![](" + stored.url() + ")");
        return Json.write(201, out).withHeader("Location", stored.url());
    }

    private Response serve(Request request, String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) return Response.text(404, "no such image");
        Optional<Integer> width = Optional.ofNullable(m.group(2)).map(Integer::parseInt);
        if (width.isPresent() && !Images.WIDTHS.contains(width.get())) return Response.text(404, "no such image size");
        Optional<Images.File> file = images.find(m.group(1), m.group(3), width);
        if (file.isEmpty()) return Response.text(404, "no such image");
        String etag = "\"" + name + "\"";
        Response response = Response.of(
                        200, file.get().contentType(), file.get().bytes())
                .withHeader("Cache-Control", CACHE_CONTROL)
                .withHeader("ETag", etag)
                .withHeader("Cache-Tag", "images, " + PurgeTags.image(m.group(1)));
        Optional<String> inm = request.header("if-none-match");
        if (inm.isPresent() && EntityTags.noneMatchFails(inm.get(), etag)) {
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
