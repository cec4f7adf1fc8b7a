package dev.edgecache.origin.web;

import dev.edgecache.common.http.EntityTags;
import dev.edgecache.origin.http.Request;
import dev.edgecache.origin.http.Response;
import dev.edgecache.origin.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Static files under {@code /assets/} (stylesheet, the {@code /api/me} and editor scripts, the favicon, and the
 * vendored highlight.js with its theme), loaded from the class path once at start-up. Shared and cacheable for an
 * hour, tagged {@code assets}; a file whose name carries its version ({@code highlight-11.12.0.min.js}) never
 * changes under that name and is {@code immutable} for a year. {@code /favicon.ico}, which browsers and crawlers
 * ask for whatever the page says, answers 301 to the SVG favicon (stored by the edge on its persistent route).
 */
final class Assets {
    /** The highlight.js release vendored here (BSD-3-Clause; licence in {@code META-INF/licenses}). */
    static final String HIGHLIGHT_JS = "11.12.0";

    static final List<String> FILES = List.of(
            "site.css",
            "me.js",
            "editor.js",
            "favicon.svg",
            "code.js",
            "highlight-" + HIGHLIGHT_JS + ".min.js",
            "highlight-github-dark-" + HIGHLIGHT_JS + ".min.css");
    private static final String CACHE_CONTROL = "public, max-age=3600";
    private static final String VERSIONED_CACHE_CONTROL = "public, max-age=31536000, immutable";
    private static final Pattern VERSIONED = Pattern.compile(".*-[0-9]+\\.[0-9]+\\.[0-9]+\\.min\\.(?:js|css)");

    private record Asset(String contentType, byte[] body, String etag) {}

    private static final Response FAVICON_ICO = Response.of(
                    301, "text/plain; charset=utf-8", "moved to /assets/favicon.svg".getBytes(StandardCharsets.UTF_8))
            .withHeader("Location", "/assets/favicon.svg")
            .withHeader("Cache-Control", CACHE_CONTROL)
            .withHeader("Cache-Tag", "assets");

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
        router.get("/assets/{name}", (r, v) -> serve(r, Objects.requireNonNull(v.get("name")))) // the pattern names it
                .get("/favicon.ico", (r, v) -> FAVICON_ICO);
    }

    private Response serve(Request request, String name) {
        Asset asset = assets.get(name);
        if (asset == null) return Response.text(404, "no such asset");
        Response response = Response.of(200, asset.contentType(), asset.body())
                .withHeader(
                        "Cache-Control", VERSIONED.matcher(name).matches() ? VERSIONED_CACHE_CONTROL : CACHE_CONTROL)
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
