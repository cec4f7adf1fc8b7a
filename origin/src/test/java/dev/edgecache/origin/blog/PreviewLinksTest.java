package dev.edgecache.origin.blog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.origin.account.SessionUser;
import dev.edgecache.origin.testing.TestBlog;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreviewLinksTest {
    @TempDir
    Path dir;

    private TestBlog blog;
    private SessionUser alice;

    @BeforeEach
    void setUp() {
        blog = new TestBlog(dir);
        alice = blog.user("alice");
    }

    @AfterEach
    void tearDown() {
        blog.close();
    }

    private static Map<String, String> query(String path) {
        return java.util.Arrays.stream(URI.create(path).getQuery().split("&"))
                .map(kv -> kv.split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
    }

    private PreviewLinks.Verdict check(PreviewLinks links, Post post, String path) {
        Map<String, String> q = query(path);
        return links.check(post, q.get("expires"), q.get("sig"));
    }

    @Test
    void aLinkOpensItsPostUntilItExpiresAndNothingElse() {
        PreviewLinks links = PreviewLinks.open(blog.db, "", Duration.ofHours(1), blog.clock);
        Post draft = blog.posts.create(alice, new PostEdit("Draft", "x", null, PostStatus.DRAFT));
        Post other = blog.posts.create(alice, new PostEdit("Other", "y", null, PostStatus.DRAFT));
        String path = links.pathFor(draft);
        assertThat(path).startsWith("/preview/" + draft.id() + "?expires=");
        assertThat(check(links, draft, path)).isEqualTo(PreviewLinks.Verdict.VALID);
        assertThat(check(links, other, path)).isEqualTo(PreviewLinks.Verdict.INVALID);
        // same id, made later (SQLite may reuse the id of a deleted post): the creation time is signed too
        Post reborn = new Post(
                draft.id(),
                draft.userId(),
                "alice",
                "draft",
                "Draft",
                "x",
                PostStatus.DRAFT,
                draft.createdAt() + 1,
                draft.updatedAt(),
                null);
        assertThat(check(links, reborn, path)).isEqualTo(PreviewLinks.Verdict.INVALID);

        Map<String, String> q = query(path);
        long expires = Long.parseLong(q.get("expires"));
        assertThat(links.check(draft, Long.toString(expires + 3600), q.get("sig")))
                .as("a longer life needs a new signature")
                .isEqualTo(PreviewLinks.Verdict.INVALID);
        assertThat(links.check(draft, "soon", q.get("sig"))).isEqualTo(PreviewLinks.Verdict.INVALID);
        assertThat(links.check(draft, q.get("expires"), "")).isEqualTo(PreviewLinks.Verdict.INVALID);

        blog.clock.advance(Duration.ofMinutes(59));
        assertThat(check(links, draft, path)).isEqualTo(PreviewLinks.Verdict.VALID);
        blog.clock.advance(Duration.ofMinutes(1));
        assertThat(check(links, draft, path)).isEqualTo(PreviewLinks.Verdict.EXPIRED);
    }

    @Test
    void theStoredKeyIsMadeOnceAndAConfiguredKeyReplacesIt() {
        Post draft = blog.posts.create(alice, new PostEdit("Draft", "x", null, PostStatus.DRAFT));
        PreviewLinks first = PreviewLinks.open(blog.db, "", Duration.ofHours(1), blog.clock);
        String path = first.pathFor(draft);
        PreviewLinks afterRestart = PreviewLinks.open(blog.db, "", Duration.ofHours(1), blog.clock);
        assertThat(check(afterRestart, draft, path)).isEqualTo(PreviewLinks.Verdict.VALID);
        PreviewLinks configured =
                PreviewLinks.open(blog.db, "a-configured-secret-of-32-characters!", Duration.ofHours(1), blog.clock);
        assertThat(check(configured, draft, path)).isEqualTo(PreviewLinks.Verdict.INVALID);
        assertThat(check(configured, draft, configured.pathFor(draft))).isEqualTo(PreviewLinks.Verdict.VALID);
    }
}
