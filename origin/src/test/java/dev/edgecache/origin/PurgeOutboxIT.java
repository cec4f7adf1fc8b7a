package dev.edgecache.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.origin.outbox.Outbox;
import dev.edgecache.origin.outbox.PurgeSender;
import dev.edgecache.origin.testing.FakeAdminServer;
import dev.edgecache.origin.testing.Poll;
import dev.edgecache.origin.testing.TestBlog;
import dev.edgecache.origin.testing.TestClient;
import dev.edgecache.origin.testing.TestDatabase;
import dev.edgecache.origin.testing.TestOrigins;
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

/** Purges reach the edge's admin port, and are retried until acknowledged, on each database. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class PurgeOutboxIT {
    @Parameter
    TestDatabase database;

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private FakeAdminServer admin;
    private OriginServer origin;
    /** One database per test, kept across the origin restarts a test makes. */
    private String databaseUrl;

    @BeforeEach
    void start() {
        databaseUrl = database.newUrl(dir);
        admin = new FakeAdminServer();
    }

    @AfterEach
    void stop() {
        if (origin != null) origin.close();
        if (admin != null) admin.close();
    }

    private List<String> purgedBodies() {
        return admin.acknowledged().stream().map(FakeAdminServer.Call::body).toList();
    }

    @Test
    void publishingPostsItsTagsToTheAdminPortWithTheToken() {
        origin = OriginServer.start(TestOrigins.config(dir, admin.uri(), databaseUrl));
        TestClient alice = new TestClient(origin.uri()).signUp("alice", "long-enough-password");
        alice.postJson("/api/posts", "{\"title\":\"Hello\",\"body\":\"x\",\"published\":true}");
        String expected = "{\"tags\":[\"post:alice/hello\",\"user:alice\",\"home\",\"sitemap\"]}";
        Poll.until(WAIT, "purge delivered", () -> purgedBodies().contains(expected));
        FakeAdminServer.Call call = admin.acknowledged().stream()
                .filter(c -> c.body().equals(expected))
                .findFirst()
                .orElseThrow();
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/purge");
        assertThat(call.header("Authorization")).isEqualTo("Bearer test-token");
        assertThat(call.header("Content-type")).isEqualTo("application/json");
        assertThat(purgedBodies()).contains("{\"tags\":[\"user:alice\"]}"); // sign-up clears a stale 404 profile
    }

    @Test
    void aChangeIsAnsweredOnlyOnceTheEdgeAcknowledgedItsPurge() {
        origin = OriginServer.start(TestOrigins.config(dir, admin.uri(), databaseUrl));
        TestClient alice = new TestClient(origin.uri()).signUp("alice", "long-enough-password");
        alice.postJson("/api/posts", "{\"title\":\"At once\",\"body\":\"x\",\"published\":true}");
        // no polling: the author's next request through the edge must already find the purge done
        assertThat(purgedBodies()).contains("{\"tags\":[\"post:alice/at-once\",\"user:alice\",\"home\",\"sitemap\"]}");
    }

    @Test
    void failedPurgesAreRetriedWithBackoffUntilTheEdgeAcknowledges() {
        admin.answer(503, 503, 500);
        origin = OriginServer.start(TestOrigins.config(dir, admin.uri(), databaseUrl));
        TestClient bob = new TestClient(origin.uri()).signUp("bob", "long-enough-password");
        bob.postJson("/api/posts", "{\"title\":\"Retry me\",\"body\":\"x\",\"published\":true}");
        Poll.until(
                WAIT,
                "both purges delivered after failures",
                () -> purgedBodies().size() == 2);
        assertThat(admin.calls()).hasSize(5);
        assertThat(admin.calls().subList(0, 3)).allMatch(c -> c.answered() >= 500);
        assertThat(purgedBodies())
                .containsExactlyInAnyOrder(
                        "{\"tags\":[\"user:bob\"]}",
                        "{\"tags\":[\"post:bob/retry-me\",\"user:bob\",\"home\",\"sitemap\"]}");
    }

    /**
     * With several origins on one database, whichever sender comes first delivers a row and deletes it; a change
     * waiting for that row on this origin must be released, not kept until its 2 s deadline.
     */
    @Test
    void aChangeWhosePurgeAnotherOriginDeliveredIsNotKeptWaiting() {
        try (TestBlog blog = new TestBlog(database, dir.resolve("blog"))) {
            long id = blog.db.write(c -> {
                blog.outbox.enqueue(c, List.of("home"));
                return Outbox.lastId(c);
            });
            blog.clearOutbox(); // delivered and deleted by the sender of another origin
            try (PurgeSender sender = new PurgeSender(
                    blog.db,
                    blog.outbox,
                    admin.uri().resolve("/purge"),
                    "test-token",
                    Duration.ofSeconds(2),
                    Duration.ofMillis(50),
                    Duration.ofMillis(400),
                    blog.clock)) {
                sender.start();
                assertThat(blog.outbox.wakeAndAwait(id, Duration.ofSeconds(5))).isTrue();
            }
        }
        assertThat(admin.calls()).isEmpty();
    }

    @Test
    void purgesWrittenWhileTheEdgeIsDownSurviveAnOriginRestart() {
        admin.close();
        admin = null;
        var config = TestOrigins.config(dir, java.net.URI.create("http://127.0.0.1:1"), databaseUrl);
        origin = OriginServer.start(config);
        new TestClient(origin.uri())
                .signUp("carol", "long-enough-password")
                .postJson("/api/posts", "{\"title\":\"Queued\",\"body\":\"x\",\"published\":true}");
        origin.close();
        origin = null;

        admin = new FakeAdminServer();
        origin = OriginServer.start(TestOrigins.config(dir, admin.uri(), databaseUrl));
        Poll.until(WAIT, "queued purges delivered", () -> purgedBodies().size() == 2);
        // in either order: the retried sign-up row may still be backing off when the untried post row is due
        assertThat(purgedBodies())
                .containsExactlyInAnyOrder(
                        "{\"tags\":[\"user:carol\"]}",
                        "{\"tags\":[\"post:carol/queued\",\"user:carol\",\"home\",\"sitemap\"]}");
    }
}
