package dev.edgecache.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The blog as a reader and an author use it, through the edge port only: the built origin and edge jars run as
 * processes ({@link EdgeAndOrigin}) and headless Chromium ({@link Browser}) signs up, publishes, reads, edits and logs
 * out. Cache behaviour is checked from outside the browser, with the JDK client and the edge's admin metrics.
 * Issue 4, "Tests".
 */
class PublishingThroughTheEdgeIT {
    private static final Path MODULE_DIR =
            Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    private static final Path TARGET = MODULE_DIR.resolve("target");
    private static final Path LOGS = TARGET.resolve("e2e-logs");
    /** Pages and their scripts load in well under a second here; this is only a ceiling for a slow, shared box. */
    private static final Duration UI_WAIT = Duration.ofSeconds(15);

    private static final String PASSWORD = "quiet-lantern-river-42";

    @TempDir
    static Path work;

    private static EdgeAndOrigin site;
    private static Browser browser;
    private static HttpClient http;

    @RegisterExtension
    static final FailureEvidence evidence = new FailureEvidence(TARGET, () -> browser, () -> site);

    @BeforeAll
    static void startSiteAndBrowser() throws IOException, InterruptedException {
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        site = EdgeAndOrigin.start(MODULE_DIR.getParent(), Files.createDirectories(work.resolve("site")), LOGS);
        browser = Browser.start(
                Files.createDirectories(work.resolve("chromium-profile")), LOGS.resolve("chromedriver.log"));
    }

    @AfterAll
    static void stopEverything() {
        try {
            if (browser != null) browser.close();
        } finally {
            try {
                if (site != null) site.close();
            } finally {
                if (http != null) http.close();
            }
        }
    }

    /** Each browser test starts signed out: the browser (and its cookies) is shared by the class. */
    @AfterEach
    void signOutTheBrowser() {
        if (browser != null) browser.driver().manage().deleteAllCookies();
    }

    @Test
    void authorPublishesAPostAndSeesEveryEditThroughTheEdgeAtOnce() throws Exception {
        WebDriver driver = browser.driver();
        WebDriverWait wait = new WebDriverWait(driver, UI_WAIT);
        String user = uniqueUsername();

        // sign up: the origin answers 303 /dashboard with a session cookie, so this also logs in
        driver.get(site.edgeUrl() + "/signup");
        driver.findElement(By.name("username")).sendKeys(user);
        driver.findElement(By.name("password")).sendKeys(PASSWORD);
        driver.findElement(By.cssSelector("form.account button[type=submit]")).click();
        wait.until(ExpectedConditions.urlToBe(site.edgeUrl() + "/dashboard"));
        assertThat(heading(driver)).isEqualTo("Your posts");
        assertThat(driver.manage().getCookieNamed("sid"))
                .as("session cookie after sign-up")
                .isNotNull();

        // write and publish a post in the editor
        driver.findElement(By.linkText("New post")).click();
        wait.until(ExpectedConditions.urlToBe(site.edgeUrl() + "/editor/new"));
        String title = "Notes from the edge";
        driver.findElement(By.name("title")).sendKeys(title);
        driver.findElement(By.name("body"))
                .sendKeys("Rendered once, served **from the cache** afterwards.\n\nMarker: first-version.");
        driver.findElement(By.cssSelector("button[name=action][value=publish]")).click();
        wait.until(ExpectedConditions.urlMatches("/editor/\\d+\\?notice=published$"));
        assertThat(driver.findElement(By.cssSelector("p.notice")).getText()).startsWith("Saved and published");
        String editorUrl = driver.getCurrentUrl().replaceFirst("\\?.*$", "");
        assertThat(driver.findElement(By.cssSelector("main strong")).getText()).isEqualTo("published");
        String postPath = driver.findElement(By.linkText("view published post")).getDomAttribute("href");
        assertThat(postPath).isEqualTo("/" + user + "/notes-from-the-edge");

        // read it at /{user}/{slug}
        driver.get(site.edgeUrl() + postPath);
        assertThat(driver.getTitle()).isEqualTo(title + " · Edge blog");
        assertThat(heading(driver)).isEqualTo(title);
        WebElement body = driver.findElement(By.cssSelector("article .body"));
        assertThat(body.getText()).contains("Rendered once, served from the cache afterwards.", "first-version");
        assertThat(body.findElement(By.tagName("strong")).getText()).isEqualTo("from the cache");
        // the cached page is the same for everyone; who is signed in comes from /api/me (a pass route)
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("me"), "Signed in as " + user));
        browser.screenshot(TARGET.resolve("e2e-published-post.png"));

        // the second view is served from the edge's store
        double hitsBefore = postHits();
        HttpResponse<String> second = get(postPath, null);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("Cache-Status")).hasValue("edge; hit");
        assertThat(second.body()).contains("first-version");
        assertThat(postHits()).as("edge_requests_total hits on route post").isEqualTo(hitsBefore + 1);

        // edit: the origin purges the edge before it answers, so the very next load shows the change (no polling)
        driver.get(editorUrl);
        String newTitle = "Notes from the edge, revised";
        WebElement titleField = driver.findElement(By.name("title"));
        titleField.clear();
        titleField.sendKeys(newTitle);
        WebElement bodyField = driver.findElement(By.name("body"));
        bodyField.clear();
        bodyField.sendKeys("Edited after publishing.\n\nMarker: second-version.");
        driver.findElement(By.cssSelector("button[name=action][value=save]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("p.notice"), "Saved."));
        driver.get(site.edgeUrl() + postPath);
        assertThat(heading(driver)).isEqualTo(newTitle);
        assertThat(driver.findElement(By.cssSelector("article .body")).getText())
                .contains("second-version")
                .doesNotContain("first-version");
        HttpResponse<String> afterEdit = get(postPath, null);
        assertThat(afterEdit.headers().firstValue("Cache-Status"))
                .as("the edited page is stored again")
                .hasValue("edge; hit");
        assertThat(afterEdit.body()).contains("second-version").doesNotContain("first-version");

        // log out from the dashboard
        Cookie session = driver.manage().getCookieNamed("sid");
        driver.get(site.edgeUrl() + "/dashboard");
        driver.findElement(By.cssSelector("form[action='/logout'] button")).click();
        wait.until(ExpectedConditions.urlToBe(site.edgeUrl() + "/"));
        assertThat(driver.manage().getCookieNamed("sid"))
                .as("session cookie after log-out")
                .isNull();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("me"), "Log in"));
        assertThat(driver.findElement(By.id("me")).getText()).doesNotContain(user);
        driver.get(site.edgeUrl() + "/dashboard");
        wait.until(ExpectedConditions.urlToBe(site.edgeUrl() + "/login"));
        assertThat(heading(driver)).isEqualTo("Log in");
        assertThat(get("/api/me", "sid=" + session.getValue()).statusCode())
                .as("the old session id after log-out")
                .isEqualTo(401);

        // and back in with the log-in form: the dashboard lists the post as published
        driver.findElement(By.name("username")).sendKeys(user);
        driver.findElement(By.name("password")).sendKeys(PASSWORD);
        driver.findElement(By.cssSelector("form.account button[type=submit]")).click();
        wait.until(ExpectedConditions.urlToBe(site.edgeUrl() + "/dashboard"));
        assertThat(driver.findElement(By.cssSelector("table.dashboard")).getText())
                .contains(newTitle, "published");
    }

    @Test
    void publicPagesWithASessionCookieSetNoCookieAndPrivatePagesBypassTheCache() throws Exception {
        String user = uniqueUsername();
        HttpResponse<String> signUp =
                postJson("/api/signup", "{\"username\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}", null);
        assertThat(signUp.statusCode()).isEqualTo(201);
        String session = sessionCookie(signUp);
        HttpResponse<String> created = postJson(
                "/api/posts",
                "{\"title\":\"Cookie free\",\"body\":\"Nothing personal here.\",\"published\":true}",
                session);
        assertThat(created.statusCode()).isEqualTo(201);
        String postPath = jsonString(created.body(), "url");

        for (int view = 1; view <= 2; view++) {
            HttpResponse<String> page = get(postPath, session);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().allValues("Set-Cookie"))
                    .as("Set-Cookie on view %d", view)
                    .isEmpty();
            assertThat(page.body()).contains("Nothing personal here.");
            assertThat(page.headers().firstValue("Cache-Status"))
                    .as("Cache-Status on view %d", view)
                    .hasValue(view == 1 ? "edge; fwd=miss; stored" : "edge; hit");
        }

        HttpResponse<String> dashboard = get("/dashboard", session);
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("Cookie free");
        assertThat(dashboard.headers().firstValue("Cache-Control")).hasValue("private, no-store");
        assertThat(dashboard.headers().firstValue("Cache-Status")).hasValue("edge; fwd=bypass");
    }

    @Test
    void authorPreviewsADraftRenamesItAndReadersPageThroughListingsAtTheEdge() throws Exception {
        WebDriver driver = browser.driver();
        WebDriverWait wait = new WebDriverWait(driver, UI_WAIT);
        String user = uniqueUsername();
        driver.get(site.edgeUrl() + "/signup");
        driver.findElement(By.name("username")).sendKeys(user);
        driver.findElement(By.name("password")).sendKeys(PASSWORD);
        driver.findElement(By.cssSelector("form.account button[type=submit]")).click();
        wait.until(ExpectedConditions.urlToBe(site.edgeUrl() + "/dashboard"));
        String session = "sid=" + driver.manage().getCookieNamed("sid").getValue();

        // a draft, with the live preview rendered by the origin as the author types
        driver.get(site.edgeUrl() + "/editor/new");
        driver.findElement(By.name("title")).sendKeys("Preview me");
        driver.findElement(By.name("body"))
                .sendKeys("Draft with **strong words** in it.\n\n```java\nfinal int answer = 42;\n```\n\n");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#live-preview strong"), "strong words"));
        // an image: uploaded from the editor, referenced from the Markdown, shown in the live preview
        Path picture = work.resolve("picture.png");
        BufferedImage pixels = new BufferedImage(1600, 300, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(pixels, "png", picture.toFile());
        driver.findElement(By.id("image-file")).sendKeys(picture.toString());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("image-status"), "Added 1600×300 image"));
        String markdown = driver.findElement(By.name("body")).getDomProperty("value");
        Matcher imageUrl = Pattern.compile("!\\[\\]\\((/images/[0-9a-f]{32}-1280\\.png)\\)")
                .matcher(markdown);
        assertThat(imageUrl.find()).as(markdown).isTrue();
        String imagePath = imageUrl.group(1);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#live-preview img")));
        driver.findElement(By.cssSelector("button[name=action][value=save]")).click();
        wait.until(ExpectedConditions.urlMatches("/editor/\\d+\\?notice=created$"));
        assertThat(driver.findElement(By.cssSelector("p.notice")).getText()).isEqualTo("Saved as a draft.");
        String editorUrl = driver.getCurrentUrl().replaceFirst("\\?.*$", "");
        assertThat(get("/" + user + "/preview-me", null).statusCode())
                .as("a draft is not public")
                .isEqualTo(404);

        // the author's preview, and its signed link: private, never stored by the edge
        driver.findElement(By.linkText("preview")).click();
        wait.until(ExpectedConditions.urlMatches("/editor/\\d+/preview$"));
        assertThat(driver.findElement(By.cssSelector("article .body strong")).getText())
                .isEqualTo("strong words");
        String shared = driver.findElement(By.cssSelector("a.share")).getDomAttribute("href");
        assertThat(shared).matches("/preview/\\d+\\?expires=\\d+&sig=[A-Za-z0-9_-]+");
        for (int view = 1; view <= 2; view++) {
            HttpResponse<String> anonymous = get(shared, null);
            assertThat(anonymous.statusCode()).isEqualTo(200);
            assertThat(anonymous.body()).contains("<strong>strong words</strong>");
            assertThat(anonymous.headers().firstValue("Cache-Control")).hasValue("private, no-store");
            assertThat(anonymous.headers().firstValue("Cache-Status"))
                    .as("shared preview, view %d", view)
                    .hasValue("edge; fwd=bypass");
        }
        assertThat(get(shared.replaceFirst("expires=\\d+", "expires=99999999999"), null)
                        .statusCode())
                .as("a link with a longer life than it was signed for")
                .isEqualTo(404);

        // publish, then change the slug twice: the old links answer 301 from the edge, straight to the newest URL
        driver.get(editorUrl);
        driver.findElement(By.cssSelector("button[name=action][value=publish]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("p.notice"), "published"));
        String firstPath = "/" + user + "/preview-me";
        assertThat(get(firstPath, null).statusCode()).isEqualTo(200);
        driver.get(site.edgeUrl() + firstPath);
        // the image as <picture>: the browser picks the WebP copy at a width its layout needs, by URL
        WebElement shown = driver.findElement(By.cssSelector("article .body picture img"));
        assertThat(shown.getDomAttribute("src")).isEqualTo(imagePath);
        wait.until(d -> (Boolean) ((JavascriptExecutor) d)
                .executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0;", shown));
        String chosen = URI.create(
                        (String) ((JavascriptExecutor) driver).executeScript("return arguments[0].currentSrc;", shown))
                .getPath();
        assertThat(chosen).matches("/images/[0-9a-f]{32}-(320|640|1280)\\.webp");
        HttpResponse<String> image = get(chosen, null);
        assertThat(image.headers().firstValue("Content-Type")).hasValue("image/webp");
        assertThat(image.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(image.headers().firstValue("Vary")).isEmpty();
        assertThat(image.headers().firstValue("Cache-Status"))
                .as("the browser's request stored the image")
                .hasValue("edge; hit");
        assertThat(get(imagePath, null).headers().firstValue("Content-Type"))
                .as("the original format, for browsers without WebP")
                .hasValue("image/png");
        // the code block, highlighted in the browser by the vendored highlight.js
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("article .body pre code.language-java.hljs span.hljs-keyword")));
        HttpResponse<String> favicon = get("/favicon.ico", null);
        assertThat(favicon.statusCode()).isEqualTo(301);
        assertThat(favicon.headers().firstValue("Location")).hasValue("/assets/favicon.svg");
        assertThat(get("/favicon.ico", null).headers().firstValue("Cache-Status"))
                .as("the favicon's redirect is stored at the edge")
                .hasValue("edge; hit");
        rename(driver, wait, editorUrl, "second-name");
        HttpResponse<String> moved = get(firstPath, null);
        assertThat(moved.statusCode()).isEqualTo(301);
        assertThat(moved.headers().firstValue("Location")).hasValue("/" + user + "/second-name");
        assertThat(moved.headers().firstValue("Cache-Status")).hasValue("edge; fwd=miss; stored");
        assertThat(get(firstPath, null).headers().firstValue("Cache-Status"))
                .as("the redirect is stored like a page")
                .hasValue("edge; hit");
        rename(driver, wait, editorUrl, "third-name");
        HttpResponse<String> movedAgain = get(firstPath, null);
        assertThat(movedAgain.headers().firstValue("Location"))
                .as("the stored 301 was purged with the second rename")
                .hasValue("/" + user + "/third-name");
        assertThat(get("/" + user + "/second-name", null).headers().firstValue("Location"))
                .hasValue("/" + user + "/third-name");
        driver.get(site.edgeUrl() + firstPath);
        wait.until(ExpectedConditions.urlToBe(site.edgeUrl() + "/" + user + "/third-name"));
        assertThat(heading(driver)).isEqualTo("Preview me");

        // eleven more posts: the listing has an "older posts" page, through the edge
        for (int i = 1; i <= 11; i++) {
            HttpResponse<String> created = postJson(
                    "/api/posts",
                    "{\"title\":\"Listing entry " + i + "\",\"body\":\"Entry " + i + ".\",\"published\":true}",
                    session);
            assertThat(created.statusCode()).isEqualTo(201);
        }
        driver.get(site.edgeUrl() + "/" + user + "/posts");
        assertThat(driver.findElement(By.cssSelector("ul.posts")).getText())
                .contains("Listing entry 11", "Listing entry 2")
                .doesNotContain("Preview me");
        driver.findElement(By.partialLinkText("Older posts")).click();
        wait.until(ExpectedConditions.urlToBe(site.edgeUrl() + "/" + user + "/posts?page=2"));
        assertThat(driver.findElement(By.cssSelector("ul.posts")).getText())
                .contains("Preview me", "Listing entry 1")
                .doesNotContain("Listing entry 2");
        assertThat(get("/" + user + "/posts?page=2", null).headers().firstValue("Cache-Status"))
                .as("the second page is cached on the listing route")
                .hasValue("edge; hit");

        // delete asks first: dismissing keeps the post, accepting deletes it
        driver.get(editorUrl);
        driver.findElement(By.cssSelector("form.delete button")).click();
        wait.until(ExpectedConditions.alertIsPresent()).dismiss();
        assertThat(driver.getCurrentUrl()).isEqualTo(editorUrl);
        driver.findElement(By.cssSelector("form.delete button")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.urlToBe(site.edgeUrl() + "/dashboard"));
        assertThat(get("/" + user + "/third-name", null).statusCode()).isEqualTo(404);
        assertThat(get(chosen, null).statusCode())
                .as("its image went with the post, and the edge's stored copy was purged")
                .isEqualTo(404);
        assertThat(get(firstPath, null).statusCode())
                .as("old links go with the post")
                .isEqualTo(404);
    }

    private static void rename(WebDriver driver, WebDriverWait wait, String editorUrl, String slug) {
        driver.get(editorUrl);
        WebElement field = driver.findElement(By.name("slug"));
        field.clear();
        field.sendKeys(slug);
        driver.findElement(By.cssSelector("button[name=action][value=save]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("p.notice"), "Saved."));
        assertThat(driver.findElement(By.linkText("view published post")).getDomAttribute("href"))
                .endsWith("/" + slug);
    }

    private static String heading(WebDriver driver) {
        return driver.findElement(By.tagName("h1")).getText();
    }

    /** A fresh, valid username ({@code [a-z0-9-]{3,30}}) so the two tests and reruns never collide. */
    private static String uniqueUsername() {
        byte[] bytes = new byte[4];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "e2e-" + HexFormat.of().formatHex(bytes);
    }

    private static HttpResponse<String> get(String path, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(site.edge(path)).timeout(Duration.ofSeconds(10));
        if (cookie != null) request.header("Cookie", cookie);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postJson(String path, String json, String cookie)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(site.edge(path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (cookie != null) request.header("Cookie", cookie);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sessionCookie(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("sid="))
                .map(c -> c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no sid cookie in " + response.headers().map()));
    }

    private static String jsonString(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"([^\"]*)\"")
                .matcher(json);
        if (!m.find()) throw new AssertionError("no string field " + field + " in " + json);
        return m.group(1);
    }

    /** Sum of {@code edge_requests_total} over the hit outcomes of route {@code post}, from the admin port. */
    private static double postHits() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(site.admin("/metrics"))
                .header("Authorization", "Bearer " + site.adminToken())
                .timeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> metrics = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).as("admin /metrics").isEqualTo(200);
        return metrics.body()
                .lines()
                .filter(l -> l.startsWith("edge_requests_total{"))
                .filter(l -> l.contains("route=\"post\"") && l.contains("outcome=\"hit-"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
