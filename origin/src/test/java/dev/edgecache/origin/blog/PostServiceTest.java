package dev.edgecache.origin.blog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgecache.origin.RejectedException;
import dev.edgecache.origin.account.SessionUser;
import dev.edgecache.origin.testing.TestBlog;
import dev.edgecache.origin.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Runs on SQLite and on PostgreSQL. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class PostServiceTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    private TestBlog blog;
    private SessionUser alice;

    @BeforeEach
    void setUp() {
        blog = new TestBlog(database, dir);
        alice = blog.user("alice");
        blog.clearOutbox();
    }

    @AfterEach
    void tearDown() {
        if (blog != null) blog.close(); // null when PostgreSQL is not installed and the run was skipped
    }

    private static void assertStatus(Runnable r, int status) {
        assertThatThrownBy(r::run)
                .isInstanceOfSatisfying(
                        RejectedException.class, e -> assertThat(e.status()).isEqualTo(status));
    }

    @Test
    void draftsAreCreatedWithASlugFromTheTitleAndPurgeNothing() {
        Post p = blog.posts.create(alice, new PostEdit("Hello, World", "body", null, PostStatus.DRAFT));
        assertThat(p.slug()).isEqualTo("hello-world");
        assertThat(p.status()).isEqualTo(PostStatus.DRAFT);
        assertThat(p.publishedAt()).isNull();
        assertThat(blog.outboxPayloads()).isEmpty();
    }

    @Test
    void publishingWritesThePurgeInTheSameTransaction() {
        Post p = blog.posts.create(alice, new PostEdit("Hello", "body", null, PostStatus.PUBLISHED));
        assertThat(blog.outboxPayloads())
                .containsExactly("{\"tags\":[\"post:alice/hello\",\"user:alice\",\"home\",\"sitemap\"]}");
        assertThat(p.publishedAt()).isEqualTo(blog.clock.millis());
    }

    @Test
    void slugChangeOfAPublishedPostPurgesBothSlugs() {
        Post p = blog.posts.create(alice, new PostEdit("Hello", "body", null, PostStatus.PUBLISHED));
        blog.clearOutbox();
        Post moved = blog.posts.update(alice, p.id(), new PostEdit(null, null, "hello-again", null));
        assertThat(moved.slug()).isEqualTo("hello-again");
        assertThat(blog.outboxPayloads())
                .containsExactly(
                        "{\"tags\":[\"post:alice/hello\",\"post:alice/hello-again\",\"user:alice\",\"home\",\"sitemap\"]}");
    }

    @Test
    void slugChangesPurgeTheOldLinkWhateverTheStateAndTakingAnOldSlugPurgesItsRedirect() {
        Post p = blog.posts.create(alice, new PostEdit("Hello", "body", null, PostStatus.PUBLISHED));
        blog.posts.update(alice, p.id(), new PostEdit(null, null, null, PostStatus.UNPUBLISHED));
        blog.clearOutbox();
        // not public now, but its old link may be stored at the edge as a 404 tagged with the current slug
        blog.posts.update(alice, p.id(), new PostEdit(null, null, "moved", null));
        assertThat(blog.outboxPayloads()).containsExactly("{\"tags\":[\"post:alice/hello\",\"post:alice/moved\"]}");
        blog.clearOutbox();
        blog.posts.create(alice, new PostEdit("Taker", "", "hello", PostStatus.DRAFT));
        assertThat(blog.outboxPayloads()).containsExactly("{\"tags\":[\"post:alice/hello\"]}");
        blog.clearOutbox();
        Post draft = blog.posts.create(alice, new PostEdit("Never public", "", null, PostStatus.DRAFT));
        blog.posts.update(alice, draft.id(), new PostEdit(null, null, "still-private", null));
        assertThat(blog.outboxPayloads()).isEmpty();
    }

    @Test
    void tagsAreCheckedAndTheirListingsPurgedWhenAPublicPostGainsChangesOrLosesThem() {
        assertStatus(() -> blog.posts.create(alice, new PostEdit("T", "", null, null, List.of("Not OK"))), 400);
        assertStatus(
                () -> blog.posts.create(
                        alice, new PostEdit("T", "", null, null, List.of("a", "b", "c", "d", "e", "f", "g", "h", "i"))),
                400);
        Post draft = blog.posts.create(alice, new PostEdit("Draft", "", null, null, List.of("java", "java", "web")));
        assertThat(blog.posts.tagsOf(alice, draft.id())).containsExactly("java", "web");
        assertThat(blog.outboxPayloads()).as("a draft's tags purge nothing").isEmpty();
        blog.posts.update(alice, draft.id(), new PostEdit(null, null, null, PostStatus.PUBLISHED));
        assertThat(blog.outboxPayloads().get(0)).contains("\"tag:java\"", "\"tag:web\"");
        blog.clearOutbox();
        blog.posts.update(alice, draft.id(), new PostEdit(null, null, null, null, List.of("web", "rust")));
        assertThat(blog.posts.tagsOf(alice, draft.id())).containsExactly("rust", "web");
        assertThat(blog.outboxPayloads().get(0)).contains("\"tag:java\"", "\"tag:web\"", "\"tag:rust\"");
        blog.clearOutbox();
        blog.posts.delete(alice, draft.id());
        assertThat(blog.outboxPayloads().get(0))
                .contains("\"tag:rust\"", "\"tag:web\"")
                .doesNotContain("tag:java");
    }

    @Test
    void unpublishAndDeletePurgeButEditingADraftDoesNot() {
        Post p = blog.posts.create(alice, new PostEdit("Draft", "x", null, null));
        blog.posts.update(alice, p.id(), new PostEdit(null, "y", null, null));
        assertThat(blog.outboxPayloads()).isEmpty();
        blog.posts.update(alice, p.id(), new PostEdit(null, null, null, PostStatus.PUBLISHED));
        Post off = blog.posts.update(alice, p.id(), new PostEdit(null, null, null, PostStatus.DRAFT));
        assertThat(off.status()).isEqualTo(PostStatus.UNPUBLISHED);
        assertThat(blog.outboxPayloads()).hasSize(2);
        blog.posts.delete(alice, p.id()); // not public any more: nothing to purge
        assertThat(blog.outboxPayloads()).hasSize(2);
        Post q = blog.posts.create(alice, new PostEdit("Public", "x", null, PostStatus.PUBLISHED));
        blog.posts.delete(alice, q.id());
        assertThat(blog.outboxPayloads()).hasSize(4).allMatch(s -> s.contains("user:alice"));
    }

    @Test
    void firstPublicationTimeIsKeptAcrossUnpublishAndRepublish() {
        Post p = blog.posts.create(alice, new PostEdit("T", "x", null, PostStatus.PUBLISHED));
        long first = p.publishedAt();
        blog.clock.advance(Duration.ofHours(1));
        blog.posts.update(alice, p.id(), new PostEdit(null, null, null, PostStatus.UNPUBLISHED));
        Post again = blog.posts.update(alice, p.id(), new PostEdit(null, null, null, PostStatus.PUBLISHED));
        assertThat(again.publishedAt()).isEqualTo(first);
        assertThat(again.updatedAt()).isGreaterThan(first);
    }

    @Test
    void duplicateTitlesGetNumberedSlugsButAnExplicitDuplicateSlugIs409() {
        assertThat(blog.posts
                        .create(alice, new PostEdit("Same", "", null, null))
                        .slug())
                .isEqualTo("same");
        assertThat(blog.posts
                        .create(alice, new PostEdit("Same", "", null, null))
                        .slug())
                .isEqualTo("same-2");
        assertStatus(() -> blog.posts.create(alice, new PostEdit("Other", "", "same", null)), 409);
        SessionUser bob = blog.user("bob");
        assertThat(blog.posts.create(bob, new PostEdit("Same", "", null, null)).slug())
                .isEqualTo("same");
    }

    @Test
    void badInputIsRefusedWithTheRightStatus() {
        assertStatus(() -> blog.posts.create(alice, new PostEdit(null, "x", null, null)), 400);
        assertStatus(() -> blog.posts.create(alice, new PostEdit("  ", "x", null, null)), 400);
        assertStatus(() -> blog.posts.create(alice, new PostEdit("t".repeat(201), "x", null, null)), 400);
        assertStatus(() -> blog.posts.create(alice, new PostEdit("T", "x", "Bad Slug", null)), 400);
        assertStatus(() -> blog.posts.create(alice, new PostEdit("T", "x".repeat((1 << 20) + 1), null, null)), 413);
        assertStatus(() -> blog.posts.create(alice, new PostEdit("T", "é".repeat((1 << 19) + 1), null, null)), 413);
        Post ok = blog.posts.create(alice, new PostEdit("T", "x".repeat(1 << 20), null, null));
        assertThat(ok.body()).hasSize(1 << 20);
    }

    @Test
    void otherUsersPostsAreForbiddenAndMissingOnesAreNotFound() {
        Post p = blog.posts.create(alice, new PostEdit("Mine", "", null, null));
        SessionUser bob = blog.user("bob");
        assertStatus(() -> blog.posts.update(bob, p.id(), new PostEdit("Stolen", null, null, null)), 403);
        assertStatus(() -> blog.posts.delete(bob, p.id()), 403);
        assertStatus(() -> blog.posts.get(alice, 999), 404);
    }

    @Test
    void failedChangesLeaveNoOutboxRow() {
        Post p = blog.posts.create(alice, new PostEdit("One", "", null, PostStatus.PUBLISHED));
        blog.posts.create(alice, new PostEdit("Two", "", null, PostStatus.PUBLISHED));
        blog.clearOutbox();
        assertStatus(() -> blog.posts.update(alice, p.id(), new PostEdit("Renamed", null, "two", null)), 409);
        assertThat(blog.outboxPayloads()).isEmpty();
        assertThat(blog.posts.get(alice, p.id()).title()).isEqualTo("One");
    }
}
