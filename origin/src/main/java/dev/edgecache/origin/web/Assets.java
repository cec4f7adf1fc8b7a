package dev.edgecache.origin.web;

import dev.edgecache.common.http.EntityTags;
import dev.edgecache.origin.http.Request;
import dev.edgecache.origin.http.Response;
import dev.edgecache.origin.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Static files under {@code /assets/} (stylesheet, the {@code /api/me} and editor scripts, the favicon), loaded from the class path once at
 * start-up. Shared and cacheable for an hour, tagged {@code assets}.
 */
final class Assets {
    static final List<String> FILES = List.of("site.css", "me.js", "editor.js", "favicon.svg");
    private static final String CACHE_CONTROL = "public, max-age=3600";

    private record Asset(String contentType, byte[] body, String etag) {}

    private final Map<String, Asset> assets = new HashMap<>();

    Assets() {
        for (String name : FILES) {
            try (InputStream in = Assets.class.getResourceAsStream("/assets/" + name)) {
                if (in == null) throw new IllegalStateException("missing class-path resource /assets/" + name);
                byte[] body = in.readAllBytes();
                assets.put(name, new Asset(typeOf(name), body, EntityTags.ofBody(body)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read /assets/" + name, e);
            }
        }
    }

    void register(Router router) {
        router.get("/assets/{name}", (r, v) -> serve(r, Objects.requireNonNull(v.get("name")))); // the pattern names it
    }

    private Response serve(Request request, String name) {
        Asset asset = assets.get(name);
        if (asset == null) return Response.text(404, "no such asset");
        Response response = Response.of(200, asset.contentType(), asset.body())
                .withHeader("Cache-Control", CACHE_CONTROL)
                .withHeader("ETag", asset.etag())
                .withHeader("Cache-Tag", "assets");
        Optional<String> inm = request.header("if-none-match");
        if (inm.isPresent() && EntityTags.noneMatchFails(inm.get(), asset.etag())) {
            return new Response(
                    304,
                    response.headers().stream()
                            .filter(h -> !h.name().equals("Content-Type"))
                            .toList(),
                    new byte[0]);
        }
        return response;
    }

    private static String typeOf(String name) {
        if (name.endsWith(".css")) return "text/css; charset=utf-8";
        if (name.endsWith(".js")) return "text/javascript; charset=utf-8";
        if (name.endsWith(".svg")) return "image/svg+xml";
        return "application/octet-stream";
    }
}
