package dev.edgecache.origin.blog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.origin.account.SessionUser;
import dev.edgecache.origin.markdown.Markdown;
import dev.edgecache.origin.render.RenderRequest;
import dev.edgecache.origin.render.RenderedPage;
import dev.edgecache.origin.testing.TestBlog;
import dev.edgecache.origin.testing.TestDatabase;
import dev.edgecache.origin.view.Templates;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;

/** Runs on SQLite and on PostgreSQL. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class BlogRendererTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    private TestBlog blog;
    private BlogRenderer renderer;
    private SessionUser alice;

    @BeforeEach
    void setUp() {
        blog = new TestBlog(database, dir);
        renderer = new BlogRenderer(blog.db, new Templates(), new Markdown(), URI.create("https://blog.example"));
        alice = blog.user("alice");
    }

    @AfterEach
    void tearDown() {
        if (blog != null) blog.close(); // null when PostgreSQL is not installed and the run was skipped
    }

    private RenderedPage get(String path) {
        return renderer.render(RenderRequest.of(path));
    }

    private RenderedPage get(String path, Map<String, List<String>> query) {
        return renderer.render(new RenderRequest(path, Map.of(), query, Optional.empty()));
    }

    private static String body(RenderedPage p) {
        return new String(p.body(), StandardCharsets.UTF_8);
    }

    private Post publish(String title, String body) {
        blog.clock.advance(Duration.ofMinutes(1));
        return blog.posts.create(alice, new PostEdit(title, body, null, PostStatus.PUBLISHED));
    }

    @Test
    void publishedPostsAreRenderedWithTheirTag() {
        publish("Hello", "Some **bold** text");
        RenderedPage page = get("/alice/hello");
        assertThat(page.status()).isEqualTo(200);
        assertThat(body(page)).contains("<h1>Hello</h1>", "<strong>bold</strong>");
        assertThat(page.cache().tags()).containsExactly("post:alice/hello");
        assertThat(page.cache().personal()).isFalse();
    }

    @Test
    void draftsAndUnpublishedPostsAre404EverywherePublic() {
        blog.posts.create(alice, new PostEdit("Secret draft", "draft body", null, PostStatus.DRAFT));
        Post gone = publish("Gone soon", "x");
        blog.posts.update(alice, gone.id(), new PostEdit(null, null, null, PostStatus.UNPUBLISHED));
        RenderedPage draft = get("/alice/secret-draft");
        assertThat(draft.status()).isEqualTo(404);
        assertThat(draft.cache().tags()).containsExactly("post:alice/secret-draft");
        assertThat(get("/alice/gone-soon").status()).isEqualTo(404);
        for (String path : List.of("/", "/alice", "/alice/posts", "/alice/feed.xml", "/sitemap.xml")) {
            assertThat(body(get(path))).as(path).doesNotContain("Secret draft", "Gone soon", "secret-draft");
        }
    }

    private Post rename(Post p, String slug) {
        return blog.posts.update(alice, p.id(), new PostEdit(null, null, slug, null));
    }

    private void assertMoved(String from, String to) {
        RenderedPage page = get(from);
        assertThat(page.status()).as(from).isEqualTo(301);
        assertThat(page.location()).as(from).isEqualTo(to);
        assertThat(page.cache().tags())
                .as(from)
                .containsExactly("post:" + from.substring(1), "post:" + to.substring(1));
        assertThat(page.cache().personal()).isFalse();
        assertThat(body(page)).contains(to);
    }

    @Test
    void oldSlugsRedirectStraightToTheNewestUrlWhilePublished() {
        Post p = publish("Hello", "x");
        rename(p, "hello-2");
        assertMoved("/alice/hello", "/alice/hello-2");
        rename(p, "third");
        assertMoved("/alice/hello", "/alice/third"); // no chain through hello-2
        assertMoved("/alice/hello-2", "/alice/third");
        assertThat(get("/alice/third").status()).isEqualTo(200);

        blog.posts.update(alice, p.id(), new PostEdit(null, null, null, PostStatus.UNPUBLISHED));
        RenderedPage hidden = get("/alice/hello");
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(hidden.location()).isNull();
        assertThat(hidden.cache().tags()).containsExactly("post:alice/hello", "post:alice/third");
        blog.posts.update(alice, p.id(), new PostEdit(null, null, null, PostStatus.PUBLISHED));
        assertMoved("/alice/hello", "/alice/third");

        rename(p, "hello"); // back to the first slug: it is a page again, and the others lead to it
        assertThat(get("/alice/hello").status()).isEqualTo(200);
        assertMoved("/alice/third", "/alice/hello");
        assertMoved("/alice/hello-2", "/alice/hello");

        blog.posts.delete(alice, p.id());
        for (String path : List.of("/alice/hello", "/alice/hello-2", "/alice/third")) {
            assertThat(get(path).status()).as(path).isEqualTo(404);
        }
    }

    @Test
    void aNewPostMayTakeAnOldSlugOnlyWhenAskedAndDraftRenamesLeaveNoRedirect() {
        Post p = publish("Hello", "x");
        rename(p, "moved");
        Post auto = publish("Hello", "made from the title");
        assertThat(auto.slug()).isEqualTo("hello-2");
        assertMoved("/alice/hello", "/alice/moved");
        Post taking = blog.posts.create(alice, new PostEdit("Taker", "mine now", "hello", PostStatus.PUBLISHED));
        assertThat(body(get("/alice/hello"))).contains("mine now");
        rename(taking, "taker"); // hello now leads to the taker, not to the first post
        assertMoved("/alice/hello", "/alice/taker");

        Post draft = blog.posts.create(alice, new PostEdit("Draft", "x", null, PostStatus.DRAFT));
        rename(draft, "draft-renamed");
        blog.posts.update(alice, draft.id(), new PostEdit(null, null, null, PostStatus.PUBLISHED));
        assertThat(get("/alice/draft").status()).isEqualTo(404);
    }

    @Test
    void scriptInTitleAndBodyIsEscaped() {
        publish("<script>alert('t')</script>", "<script>alert('b')</script>\n\n[x](javascript:alert(1))");
        Post p = blog.posts.mine(alice).get(0);
        String html = body(get(p.url()));
        assertThat(html).doesNotContain("<script>alert", "javascript:");
        assertThat(html).contains("&lt;script&gt;alert(");
        assertThat(body(get("/"))).doesNotContain("<script>alert");
    }

    @Test
    void listingsAreNewestFirstAndPaginated() {
        for (int i = 1; i <= 12; i++) publish("Post " + i, "body " + i);
        String first = body(get("/alice/posts"));
        assertThat(first.indexOf("Post 12")).isLessThan(first.indexOf("Post 11"));
        assertThat(first).contains("?page=2").doesNotContain("Post 2<");
        RenderedPage second = get("/alice/posts", Map.of("page", List.of("2")));
        assertThat(body(second)).contains("Post 2", "Post 1<", "?page=1").doesNotContain("?page=3");
        assertThat(get("/alice/posts", Map.of("page", List.of("3"))).status()).isEqualTo(404);
        assertThat(get("/alice/posts", Map.of("page", List.of("x"))).status()).isEqualTo(404);
        assertThat(get("/alice/posts").cache().tags()).containsExactly("user:alice");
    }

    @Test
    void homeProfileAndUnknownUsersHaveTheirTags() {
        publish("Hello", "x");
        assertThat(get("/").cache().tags()).containsExactly("home");
        assertThat(body(get("/"))).contains("href=\"/alice/hello\"");
        assertThat(get("/alice").cache().tags()).containsExactly("user:alice");
        RenderedPage nobody = get("/nobody");
        assertThat(nobody.status()).isEqualTo(404);
        assertThat(nobody.cache().tags()).containsExactly("user:nobody");
        assertThat(body(nobody)).contains("Not found");
        assertThat(get("/a/b/c").status()).isEqualTo(404);
        assertThat(get("/UPPER").status()).isEqualTo(404);
    }

    @Test
    void pagesAreTheSameWhoeverAsks() {
        publish("Hello", "x");
        RenderedPage anonymous = get("/alice/hello");
        RenderedPage signedIn =
                renderer.render(new RenderRequest("/alice/hello", Map.of(), Map.of(), Optional.of("alice")));
        assertThat(signedIn.body()).isEqualTo(anonymous.body());
    }

    @Test
    void feedAndSitemapAreWellFormedXmlWithAbsoluteLinks() throws Exception {
        publish("Fish & <Chips>", "x");
        RenderedPage feed = get("/alice/feed.xml");
        assertThat(feed.contentType()).startsWith("application/atom+xml");
        Document atom = parse(feed.body());
        assertThat(atom.getElementsByTagName("entry").getLength()).isEqualTo(1);
        assertThat(atom.getElementsByTagName("title").item(1).getTextContent()).isEqualTo("Fish & <Chips>");
        Document sitemap = parse(get("/sitemap.xml").body());
        assertThat(sitemap.getElementsByTagName("loc").item(2).getTextContent())
                .isEqualTo("https://blog.example/alice/fish-chips");
        assertThat(get("/nobody/feed.xml").status()).isEqualTo(404);
    }

    private Post publishTagged(String title, String body, String... tags) {
        blog.clock.advance(Duration.ofMinutes(1));
        return blog.posts.create(alice, new PostEdit(title, body, null, PostStatus.PUBLISHED, List.of(tags)));
    }

    @Test
    void theHomePageHasOlderPostsPages() {
        for (int i = 1; i <= BlogRenderer.HOME_SIZE + 3; i++) publish("Post " + i, "body " + i);
        String first = body(get("/"));
        assertThat(first)
                .contains("Post 23<", "Post 4<", "href=\"/?page=2\"", "Older posts")
                .doesNotContain("Post 3<");
        RenderedPage second = get("/", Map.of("page", List.of("2")));
        assertThat(body(second))
                .contains("Post 3<", "Post 1<", "href=\"/?page=1\"")
                .doesNotContain("?page=3");
        assertThat(second.cache().tags()).containsExactly("home");
        assertThat(get("/", Map.of("page", List.of("3"))).status()).isEqualTo(404);
        assertThat(get("/", Map.of("page", List.of("0"))).status()).isEqualTo(404);
    }

    @Test
    void tagsAreShownOnPostsAndListedPerTagWithTheirPurgeTag() {
        publishTagged("Tagged one", "x", "java", "edge-caching");
        publishTagged("Tagged two", "x", "java");
        Post draft =
                blog.posts.create(alice, new PostEdit("Tagged draft", "x", null, PostStatus.DRAFT, List.of("java")));
        assertThat(draft.status()).isEqualTo(PostStatus.DRAFT);
        assertThat(body(get("/alice/tagged-one"))).contains("href=\"/tags/edge-caching\"", "href=\"/tags/java\"");
        RenderedPage java = get("/tags/java");
        assertThat(java.status()).isEqualTo(200);
        assertThat(java.cache().tags()).containsExactly("tag:java");
        assertThat(body(java)).contains("Tagged one", "Tagged two").doesNotContain("Tagged draft");
        assertThat(body(java).indexOf("Tagged two")).isLessThan(body(java).indexOf("Tagged one"));
        RenderedPage none = get("/tags/nothing");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.cache().tags()).containsExactly("tag:nothing");
        assertThat(get("/tags/Bad Tag").status()).isEqualTo(404);
        assertThat(get("/tags/a/b").status()).isEqualTo(404);
    }

    @Test
    void theSiteFeedIsAtomWithEveryAuthorAndRobotsPointsAtTheSitemap() throws Exception {
        publish("Alice's post", "x");
        SessionUser bob = blog.user("bob");
        blog.clock.advance(Duration.ofMinutes(1));
        blog.posts.create(bob, new PostEdit("Bob's post", "y", null, PostStatus.PUBLISHED));
        RenderedPage feed = get("/feed.xml");
        assertThat(feed.contentType()).isEqualTo("application/atom+xml; charset=utf-8");
        assertThat(feed.cache().tags()).containsExactly("home");
        Document atom = parse(feed.body());
        assertThat(atom.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2005/Atom");
        assertThat(atom.getElementsByTagName("entry").getLength()).isEqualTo(2);
        assertThat(atom.getElementsByTagName("name").item(0).getTextContent()).isEqualTo("bob");
        assertThat(atom.getElementsByTagName("name").item(1).getTextContent()).isEqualTo("alice");
        RenderedPage robots = get("/robots.txt");
        assertThat(robots.contentType()).startsWith("text/plain");
        assertThat(body(robots))
                .contains("Disallow: /editor/", "Disallow: /preview/", "Sitemap: https://blog.example/sitemap.xml");
    }

    @Test
    void searchFindsPublishedPostsByEveryWordBestFirstAndSurvivesQuerySyntax() {
        publish("Caching at the edge", "Persistent rendering keeps pages until a purge.");
        publish("Gardening notes", "Tomatoes need sun. Caching is not involved, but caching water is.");
        blog.posts.create(alice, new PostEdit("Caching draft", "secret caching", null, PostStatus.DRAFT));
        String all = body(get("/search", Map.of("q", List.of("caching"))));
        assertThat(all).contains("Caching at the edge", "Gardening notes").doesNotContain("Caching draft");
        assertThat(all.indexOf("Caching at the edge"))
                .as("a title match ranks first")
                .isLessThan(all.indexOf("Gardening notes"));
        String both = body(get("/search", Map.of("q", List.of("caching tomatoes"))));
        assertThat(both).contains("Gardening notes").doesNotContain("Caching at the edge");
        assertThat(body(get("/search", Map.of("q", List.of("purges"))))).contains("Caching at the edge");
        for (String hostile :
                List.of("\"", "caching\" OR \"x", "NOT caching", "cach*", "a:b", "(", "'; DROP TABLE posts; --")) {
            RenderedPage page = get("/search", Map.of("q", List.of(hostile)));
            assertThat(page.status()).as(hostile).isEqualTo(200);
        }
        assertThat(body(get("/search"))).contains("name=\"q\"").doesNotContain("No published post");
        assertThat(body(get("/search", Map.of("q", List.of("zebra"))))).contains("No published post matches");
        assertThat(get("/search").cache().tags()).containsExactly("home");
        assertThat(BlogRenderer.terms("Edge, CACHING & edge! über")).containsExactly("edge", "caching", "über");
    }

    @Test
    void readingTimeIsShownInMinutesAtLeastOne() {
        assertThat(BlogRenderer.readingMinutes("")).isEqualTo(1);
        assertThat(BlogRenderer.readingMinutes("word ".repeat(230 * 4))).isEqualTo(4);
        publish("Long read", "word ".repeat(230 * 3));
        assertThat(body(get("/alice/long-read"))).contains("3 min read");
        assertThat(body(get("/alice"))).contains("3 min read");
    }

    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }
}
