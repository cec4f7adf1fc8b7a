package dev.edgecache.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.origin.testing.FakeAdminServer;
import dev.edgecache.origin.testing.Poll;
import dev.edgecache.origin.testing.TestClient;
import dev.edgecache.origin.testing.TestDatabase;
import dev.edgecache.origin.testing.TestOrigins;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Writing and reading posts over real HTTP: the API, the editor forms and the public pages with their headers, on
 * each database.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class PostsIT {
    @Parameter
    TestDatabase database;

    @TempDir
    static Path dir;

    static FakeAdminServer admin;
    static OriginServer origin;

    @BeforeParameterizedClassInvocation
    static void start(TestDatabase database) throws Exception {
        Path base = dir.resolve(database.name());
        String url = database.newUrl(base.resolve("data"));
        admin = new FakeAdminServer();
        Path docs = Files.createDirectories(base.resolve("docs"));
        Files.writeString(docs.resolve("index.md"), "# Docs home\n\nHello docs.");
        origin = OriginServer.start(
                TestOrigins.withDocs(TestOrigins.config(base.resolve("data"), admin.uri(), url), docs));
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        if (origin != null) origin.close();
        if (admin != null) admin.close();
        origin = null;
        admin = null;
    }

    private static TestClient client() {
        return new TestClient(origin.uri());
    }

    private static long idOf(String json) {
        Matcher m = Pattern.compile("\"id\":(\\d+)").matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void apiCreatesPublishesEditsAndDeletesPosts() {
        TestClient alice = client().signUp("alice", "long-enough-password");
        HttpResponse<String> created = alice.postJson(
                "/api/posts", "{\"title\":\"Hello World\",\"body\":\"First *post*\",\"published\":true}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).contains("\"slug\":\"hello-world\"", "\"url\":\"/alice/hello-world\"");
        long id = idOf(created.body());
        TestClient reader = client();
        assertThat(reader.get("/alice/hello-world").body()).contains("<em>post</em>");

        HttpResponse<String> edited = alice.putJson("/api/posts/" + id, "{\"body\":\"Edited\"}");
        assertThat(edited.statusCode()).isEqualTo(200);
        assertThat(edited.body()).contains("\"id\":" + id, "\"slug\":\"hello-world\"");
        assertThat(reader.get("/alice/hello-world").body()).contains("Edited").contains("Hello World");

        assertThat(alice.putJson("/api/posts/" + id, "{\"slug\":\"renamed\"}").body())
                .contains("/alice/renamed");
        HttpResponse<String> moved = reader.get("/alice/hello-world");
        assertThat(moved.statusCode()).isEqualTo(301);
        assertThat(moved.headers().firstValue("location")).hasValue("/alice/renamed");
        assertThat(moved.headers().firstValue("cache-control")).hasValue("public, max-age=0, must-revalidate");
        assertThat(moved.headers().firstValue("cache-tag")).hasValue("post:alice/hello-world, post:alice/renamed");
        assertThat(reader.get("/alice/renamed").statusCode()).isEqualTo(200);

        assertThat(alice.putJson("/api/posts/" + id, "{\"published\":false}").body())
                .contains("\"status\":\"unpublished\"");
        assertThat(reader.get("/alice/renamed").statusCode()).isEqualTo(404);
        assertThat(reader.get("/alice/hello-world").statusCode()).isEqualTo(404);

        assertThat(alice.delete("/api/posts/" + id).statusCode()).isEqualTo(204);
        assertThat(alice.get("/api/posts/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void apiRefusesBadCallsWithTheRightStatus() {
        TestClient bob = client().signUp("bob", "long-enough-password");
        TestClient anonymous = client();
        assertThat(anonymous.postJson("/api/posts", "{\"title\":\"x\"}").statusCode())
                .isEqualTo(401);
        assertThat(bob.post("/api/posts", "application/x-www-form-urlencoded", "title=x")
                        .statusCode())
                .isEqualTo(415);
        assertThat(bob.postJson("/api/posts", "{\"title\":\"\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> badSlug = bob.postJson("/api/posts", "{\"title\":\"x\",\"slug\":\"Not A Slug\"}");
        assertThat(badSlug.statusCode()).isEqualTo(400);
        assertThat(badSlug.body()).startsWith("{\"error\":\"invalid slug");
        String huge = "a".repeat((1 << 20) + 1);
        HttpResponse<String> tooBig = bob.postJson("/api/posts", "{\"title\":\"big\",\"body\":\"" + huge + "\"}");
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(tooBig.body()).contains("1 MiB");
        long id = idOf(bob.postJson("/api/posts", "{\"title\":\"Mine\"}").body());
        assertThat(bob.postJson("/api/posts", "{\"title\":\"Other\",\"slug\":\"mine\"}")
                        .statusCode())
                .isEqualTo(409);
        TestClient mallory = client().signUp("mallory", "long-enough-password");
        assertThat(mallory.putJson("/api/posts/" + id, "{\"title\":\"pwned\"}").statusCode())
                .isEqualTo(403);
        assertThat(mallory.delete("/api/posts/" + id).statusCode()).isEqualTo(403);
        assertThat(bob.putJson("/api/posts/99999", "{\"title\":\"x\"}").statusCode())
                .isEqualTo(404);
        assertThat(bob.putJson("/api/posts/abc", "{\"title\":\"x\"}").statusCode())
                .isEqualTo(404);
    }

    @Test
    void draftsAreNeverPublicAndScriptsInMarkdownAreEscaped() {
        TestClient carol = client().signUp("carol", "long-enough-password");
        carol.postJson("/api/posts", "{\"title\":\"Secret\",\"body\":\"draft\"}");
        carol.postJson("/api/posts", "{\"title\":\"XSS\",\"body\":\"<script>alert(1)</script>\",\"published\":true}");
        TestClient reader = client();
        assertThat(reader.get("/carol/secret").statusCode()).isEqualTo(404);
        assertThat(reader.get("/carol").body()).doesNotContain("Secret").contains("XSS");
        String page = reader.get("/carol/xss").body();
        assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert");
    }

    @Test
    void publicPagesCarryCacheHeadersAndAreTheSameWithOrWithoutCookies() {
        TestClient dan = client().signUp("dan", "long-enough-password");
        dan.postJson("/api/posts", "{\"title\":\"Cacheable\",\"body\":\"x\",\"published\":true}");
        HttpResponse<String> anonymous = client().get("/dan/cacheable");
        HttpResponse<String> signedIn = dan.get("/dan/cacheable");
        assertThat(signedIn.body()).isEqualTo(anonymous.body());
        assertThat(anonymous.headers().firstValue("cache-control")).hasValue("public, max-age=0, must-revalidate");
        assertThat(anonymous.headers().firstValue("cache-tag")).hasValue("post:dan/cacheable");
        assertThat(anonymous.headers().allValues("set-cookie")).isEmpty();
        String etag = anonymous.headers().firstValue("etag").orElseThrow();
        assertThat(etag).startsWith("\"").endsWith("\"");
        assertThat(signedIn.headers().firstValue("etag")).hasValue(etag);
        HttpResponse<String> revalidated = client().get("/dan/cacheable", "If-None-Match", etag);
        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(revalidated.body()).isEmpty();
        assertThat(client().get("/").headers().firstValue("cache-tag")).hasValue("home");
        assertThat(client().get("/dan/posts").headers().firstValue("cache-tag")).hasValue("user:dan");
        HttpResponse<String> missing = client().get("/dan/nothing-here");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("Not found");
        assertThat(missing.headers().firstValue("cache-tag")).hasValue("post:dan/nothing-here");
    }

    @Test
    void privatePagesAreNeverStored() {
        TestClient erin = client().signUp("erin", "long-enough-password");
        for (String path : new String[] {"/login", "/signup", "/dashboard", "/editor/new", "/api/me"}) {
            assertThat(erin.get(path).headers().firstValue("cache-control"))
                    .as(path)
                    .hasValue("private, no-store");
        }
        assertThat(client().get("/login").headers().firstValue("cache-control")).hasValue("private, no-store");
    }

    @Test
    void editorFormsNeedTheSessionsTokenAndKeepTheUsersInputOnErrors() {
        TestClient fay = client().signUp("fay", "long-enough-password");
        Map<String, String> post = Map.of("title", "From the editor", "body", "Hi", "action", "publish");
        assertThat(fay.postForm("/editor/new", post).statusCode()).isEqualTo(403);
        String token = fay.csrfFrom("/editor/new");
        HttpResponse<String> created = fay.postForm(
                "/editor/new", Map.of("title", "From the editor", "body", "Hi", "action", "publish", "csrf", token));
        assertThat(created.statusCode()).isEqualTo(303);
        String location = created.headers().firstValue("location").orElseThrow();
        assertThat(location).endsWith("?notice=published");
        assertThat(fay.get(location).body()).contains("Saved and published");
        String editor = location.substring(0, location.indexOf('?'));
        assertThat(client().get("/fay/from-the-editor").statusCode()).isEqualTo(200);
        HttpResponse<String> bad = fay.postForm(
                editor,
                Map.of(
                        "title",
                        "Kept title",
                        "slug",
                        "Bad Slug",
                        "body",
                        "kept body",
                        "action",
                        "save",
                        "csrf",
                        token));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("invalid slug", "Kept title", "kept body");
        assertThat(fay.postForm(editor + "/delete", Map.of()).statusCode()).isEqualTo(403);
        assertThat(fay.postForm(editor + "/delete", Map.of("csrf", token)).statusCode())
                .isEqualTo(303);
        assertThat(client().get("/fay/from-the-editor").statusCode()).isEqualTo(404);
    }

    @Test
    void draftPreviewsAreForTheAuthorAndSignedLinksOnlyAndNeverShared() {
        TestClient hal = client().signUp("hal", "long-enough-password");
        long id = idOf(hal.postJson("/api/posts", "{\"title\":\"Work in progress\",\"body\":\"Draft *text*\"}")
                .body());
        HttpResponse<String> own = hal.get("/editor/" + id + "/preview");
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).contains("<em>text</em>", "Preview", "draft");
        assertThat(own.headers().firstValue("cache-control")).hasValue("private, no-store");
        assertThat(own.headers().firstValue("cache-tag")).isEmpty();
        assertThat(client().get("/editor/" + id + "/preview").statusCode()).isEqualTo(303);
        TestClient ivy = client().signUp("ivy", "long-enough-password");
        assertThat(ivy.get("/editor/" + id + "/preview").statusCode()).isEqualTo(403);

        Matcher link = Pattern.compile("href=\"(/preview/" + id + "\\?expires=\\d+&amp;sig=[A-Za-z0-9_-]+)\"")
                .matcher(own.body());
        assertThat(link.find()).as(own.body()).isTrue();
        String shared = link.group(1).replace("&amp;", "&");
        HttpResponse<String> anonymous = client().get(shared);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.body()).contains("<em>text</em>").doesNotContain("/editor/" + id + "\"");
        assertThat(anonymous.headers().firstValue("cache-control")).hasValue("private, no-store");
        assertThat(anonymous.headers().firstValue("x-robots-tag")).hasValue("noindex, nofollow");
        assertThat(anonymous.headers().firstValue("referrer-policy"))
                .as("links out of the post do not carry the signed link")
                .hasValue("same-origin");
        assertThat(client().get(shared.replaceFirst("sig=.", "sig=A")).statusCode())
                .isIn(200, 404); // one changed character may be the same one; the next line cannot be
        assertThat(client().get(shared.replaceFirst("expires=\\d+", "expires=99999999999"))
                        .statusCode())
                .isEqualTo(404);
        assertThat(client().get("/preview/" + id).statusCode()).isEqualTo(404);
        assertThat(client().get("/" + "hal/work-in-progress").statusCode())
                .as("still a draft")
                .isEqualTo(404);
    }

    @Test
    void theLivePreviewRendersMarkdownThroughTheSanitiserForTheSignedInAuthor() {
        TestClient jo = client().signUp("joy", "long-enough-password");
        String token = jo.csrfFrom("/editor/new");
        HttpResponse<String> live = jo.postForm(
                "/editor/preview",
                Map.of("csrf", token, "body", "Some **bold**\n\n<script>alert(1)</script> [x](javascript:alert)"));
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body())
                .contains("<strong>bold</strong>", "&lt;script&gt;")
                .doesNotContain("<script", "href=\"javascript");
        assertThat(live.headers().firstValue("cache-control")).hasValue("private, no-store");
        assertThat(jo.postForm("/editor/preview", Map.of("body", "x")).statusCode())
                .isEqualTo(403);
        assertThat(client().postForm("/editor/preview", Map.of("csrf", token, "body", "x"))
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void tagsFeedSearchAndRobotsAreSharedPagesWithTheirTypesAndTags() {
        TestClient kim = client().signUp("kim", "long-enough-password");
        long id = idOf(kim.postJson(
                        "/api/posts",
                        "{\"title\":\"Quokka sightings\",\"body\":\"Seen on Rottnest\",\"published\":true,"
                                + "\"tags\":[\"wildlife\",\"travel\"]}")
                .body());
        assertThat(kim.get("/api/posts/" + id).body()).contains("\"tags\":[\"travel\",\"wildlife\"]");
        assertThat(kim.putJson("/api/posts/" + id, "{\"tags\":[\"Bad Tag\"]}").statusCode())
                .isEqualTo(400);
        HttpResponse<String> tag = client().get("/tags/wildlife");
        assertThat(tag.statusCode()).isEqualTo(200);
        assertThat(tag.body()).contains("Quokka sightings");
        assertThat(tag.headers().firstValue("cache-tag")).hasValue("tag:wildlife");
        assertThat(tag.headers().firstValue("cache-control")).hasValue("public, max-age=0, must-revalidate");
        HttpResponse<String> feed = client().get("/feed.xml");
        assertThat(feed.headers().firstValue("content-type")).hasValue("application/atom+xml; charset=utf-8");
        assertThat(feed.body()).contains("Quokka sightings");
        HttpResponse<String> search = client().get("/search?q=quokka");
        assertThat(search.statusCode()).isEqualTo(200);
        assertThat(search.body()).contains("Quokka sightings");
        assertThat(search.headers().firstValue("cache-tag")).hasValue("home");
        HttpResponse<String> robots = client().get("/robots.txt");
        assertThat(robots.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
        assertThat(robots.body()).contains("Sitemap: ");
        assertThat(client().postJson("/api/signup", "{\"username\":\"tags\",\"password\":\"long-enough-password\"}")
                        .statusCode())
                .as("tags is a reserved username")
                .isEqualTo(400);
    }

    @Test
    void imagesAreUploadedByAuthorsAndServedImmutableUnderTheirHash() throws Exception {
        TestClient lou = client().signUp("lou", "long-enough-password");
        java.awt.image.BufferedImage img =
                new java.awt.image.BufferedImage(1600, 400, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", png);
        HttpResponse<String> uploaded = lou.postBytes("/api/images", "image/png", png.toByteArray());
        assertThat(uploaded.statusCode()).isEqualTo(201);
        Matcher url =
                Pattern.compile("\"url\":\"(/images/[0-9a-f]{32})-1280\\.png\"").matcher(uploaded.body());
        assertThat(url.find()).as(uploaded.body()).isTrue();
        HttpResponse<String> resized = client().get(url.group(1) + "-1280.png");
        assertThat(resized.statusCode()).isEqualTo(200);
        assertThat(resized.headers().firstValue("content-type")).hasValue("image/png");
        assertThat(resized.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");
        assertThat(resized.headers().firstValue("cache-tag"))
                .hasValue("images, image:" + url.group(1).substring("/images/".length()));
        String etag = resized.headers().firstValue("etag").orElseThrow();
        assertThat(client().get(url.group(1) + "-1280.png", "If-None-Match", etag)
                        .statusCode())
                .isEqualTo(304);
        assertThat(client().get(url.group(1) + ".png").statusCode()).isEqualTo(200);
        assertThat(client().get(url.group(1) + "-999.png").statusCode()).isEqualTo(404);
        assertThat(client().get(url.group(1) + ".jpg").statusCode()).isEqualTo(404);
        assertThat(client().postBytes("/api/images", "image/png", png.toByteArray())
                        .statusCode())
                .isEqualTo(401);
        assertThat(lou.postBytes("/api/images", "text/plain", png.toByteArray()).statusCode())
                .isEqualTo(415);
    }

    @Test
    void postImagesArePicturesWithWebPCopiesAndGoWithTheirPost() throws Exception {
        TestClient max = client().signUp("max", "long-enough-password");
        java.awt.image.BufferedImage img =
                new java.awt.image.BufferedImage(900, 300, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "jpg", jpeg);
        HttpResponse<String> uploaded = max.postBytes("/api/images", "image/jpeg", jpeg.toByteArray());
        Matcher url =
                Pattern.compile("\"url\":\"/images/([0-9a-f]{32})\\.jpg\"").matcher(uploaded.body());
        assertThat(url.find()).as(uploaded.body()).isTrue();
        String hash = url.group(1);

        HttpResponse<String> webp = client().get("/images/" + hash + "-640.webp");
        assertThat(webp.statusCode()).isEqualTo(200);
        assertThat(webp.headers().firstValue("content-type")).hasValue("image/webp");
        assertThat(webp.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");
        assertThat(webp.headers().firstValue("cache-tag")).hasValue("images, image:" + hash);
        assertThat(webp.headers().firstValue("vary")).as("one URL per format").isEmpty();
        assertThat(webp.body()).startsWith("RIFF");
        assertThat(client().get("/images/" + hash + "-999.webp").statusCode()).isEqualTo(404);

        long id = idOf(max.postJson(
                        "/api/posts",
                        "{\"title\":\"Pictures\",\"body\":\"![a view](/images/" + hash
                                + ".jpg)\\n\\n```java\\nint x = 1;\\n```\",\"published\":true}")
                .body());
        String page = client().get("/max/pictures").body();
        assertThat(page)
                .contains("<picture><source type=\"image/webp\" srcset=\"/images/" + hash + "-320.webp 320w, /images/"
                        + hash + "-640.webp 640w, /images/" + hash + ".webp 900w\"")
                .contains("width=\"900\" height=\"300\"")
                .contains("<code class=\"language-java\">")
                .contains("/assets/highlight-11.12.0.min.js", "/assets/highlight-github-dark-11.12.0.min.css");
        assertThat(client().get("/assets/highlight-11.12.0.min.js").headers().firstValue("cache-control"))
                .hasValue("public, max-age=31536000, immutable");
        assertThat(client().get("/assets/code.js").statusCode()).isEqualTo(200);

        assertThat(max.delete("/api/posts/" + id).statusCode()).isEqualTo(204);
        assertThat(client().get("/images/" + hash + ".jpg").statusCode()).isEqualTo(404);
        Poll.until(
                Duration.ofSeconds(10),
                "the image's purge at the edge",
                () -> admin.acknowledged().stream().anyMatch(c -> c.body().contains("\"image:" + hash + "\"")));
    }

    @Test
    void faviconIcoMovesToTheSvgFavicon() {
        HttpResponse<String> ico = client().get("/favicon.ico");
        assertThat(ico.statusCode()).isEqualTo(301);
        assertThat(ico.headers().firstValue("location")).hasValue("/assets/favicon.svg");
        assertThat(ico.headers().firstValue("cache-control")).hasValue("public, max-age=3600");
    }

    @Test
    void criticalPathsListHomeAuthorsAndNewestPosts() {
        TestClient gus = client().signUp("gus", "long-enough-password");
        gus.postJson("/api/posts", "{\"title\":\"Critical\",\"body\":\"x\",\"published\":true}");
        HttpResponse<String> r = client().get("/_edge/critical?limit=500");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("[\"/\",").contains("\"/gus\"", "\"/gus/critical\"");
        assertThat(client().get("/_edge/critical?limit=1").body()).isEqualTo("[\"/\"]");
        assertThat(client().get("/_edge/critical?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    void theDocsRendererServesItsMountAndReservesItsName() {
        HttpResponse<String> docs = client().get("/docs");
        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.body()).contains("Hello docs.");
        assertThat(docs.headers().firstValue("cache-tag")).hasValue("docs, docs:index");
        assertThat(client().postJson("/api/signup", "{\"username\":\"docs\",\"password\":\"long-enough-password\"}")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void otherMethodsOnPublicPagesAre405AndAssetsAreServed() {
        assertThat(client().post("/", "application/json", "{}").statusCode()).isEqualTo(405);
        HttpResponse<String> js = client().get("/assets/me.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.body()).contains("/api/me");
        assertThat(client().get("/assets/nope.js").statusCode()).isEqualTo(404);
    }

    @Test
    void malformedRequestTargetsAre400() throws Exception {
        try (var socket = new java.net.Socket(
                origin.address().getAddress(), origin.address().getPort())) {
            socket.getOutputStream()
                    .write("GET /?page=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(
                            socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(status).startsWith("HTTP/1.1 400");
        }
    }
}
