package dev.edgecache.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.origin.config.LoginLimitConfig;
import dev.edgecache.origin.config.PasswordHashingConfig;
import dev.edgecache.origin.testing.FakeAdminServer;
import dev.edgecache.origin.testing.PostgresServer;
import dev.edgecache.origin.testing.TestClient;
import dev.edgecache.origin.testing.TestOrigins;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two origins sharing one PostgreSQL database, as behind a load balancer in a cluster: an account, a session and a
 * post made on one are served by the other, and concurrent writes on both keep the rules a single origin keeps.
 */
class SharedPostgresIT {
    private static final String PASSWORD = "long-enough-password";

    @TempDir
    static Path dir;

    static FakeAdminServer admin;
    static OriginServer a;
    static OriginServer b;

    /** Both start at once on an empty database: the schema is created once, by whichever migrates first. */
    @BeforeAll
    static void start() throws Exception {
        String url = PostgresServer.shared().createDatabase();
        admin = new FakeAdminServer();
        CompletableFuture<OriginServer> startA = CompletableFuture.supplyAsync(
                () -> OriginServer.start(TestOrigins.config(dir.resolve("a"), admin.uri(), url)));
        CompletableFuture<OriginServer> startB = CompletableFuture.supplyAsync(
                () -> OriginServer.start(TestOrigins.config(dir.resolve("b"), admin.uri(), url)));
        a = startA.get(60, TimeUnit.SECONDS);
        b = startB.get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
        if (admin != null) admin.close();
    }

    private static String credentials(String user, String password) {
        return "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
    }

    private static long idOf(String json) {
        Matcher m = Pattern.compile("\"id\":(\\d+)").matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void anAccountAndASessionMadeOnOneOriginWorkOnTheOther() {
        TestClient onA = new TestClient(a.uri()).signUp("alice", PASSWORD);
        String sid = onA.cookies().get("sid");

        TestClient sameCookieOnB = new TestClient(b.uri());
        sameCookieOnB.cookies().put("sid", sid);
        HttpResponse<String> me = sameCookieOnB.get("/api/me");
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).isEqualTo("{\"username\":\"alice\"}");

        TestClient logInOnB = new TestClient(b.uri());
        assertThat(logInOnB.postJson("/api/login", credentials("alice", PASSWORD))
                        .statusCode())
                .isEqualTo(200);
        TestClient sessionFromBOnA = new TestClient(a.uri());
        sessionFromBOnA.cookies().put("sid", logInOnB.cookies().get("sid"));
        assertThat(sessionFromBOnA.get("/api/me").body()).isEqualTo("{\"username\":\"alice\"}");

        assertThat(new TestClient(b.uri())
                        .postJson("/api/signup", credentials("alice", "another-long-password"))
                        .statusCode())
                .isEqualTo(409);
        assertThat(new TestClient(b.uri())
                        .postJson("/api/login", credentials("alice", "not-the-password"))
                        .statusCode())
                .isEqualTo(401);

        assertThat(sameCookieOnB.postJson("/api/logout", "{}").statusCode()).isEqualTo(204);
        assertThat(onA.get("/api/me").statusCode()).isEqualTo(401); // logged out on B: the session is gone on A too
        assertThat(sessionFromBOnA.get("/api/me").statusCode()).isEqualTo(200); // the other session lives on
    }

    @Test
    void aPostWrittenOnOneOriginIsServedEditedAndDeletedOnTheOther() {
        TestClient onA = new TestClient(a.uri()).signUp("bob", PASSWORD);
        HttpResponse<String> created =
                onA.postJson("/api/posts", "{\"title\":\"Shared\",\"body\":\"Written on *A*\",\"published\":true}");
        assertThat(created.statusCode()).isEqualTo(201);
        long id = idOf(created.body());

        TestClient readerOnB = new TestClient(b.uri());
        assertThat(readerOnB.get("/bob/shared").body()).contains("Written on <em>A</em>");
        assertThat(readerOnB.get("/bob").body()).contains("Shared");
        assertThat(readerOnB.get("/").body()).contains("/bob/shared");

        TestClient authorOnB = new TestClient(b.uri());
        authorOnB.cookies().put("sid", onA.cookies().get("sid"));
        assertThat(authorOnB
                        .putJson("/api/posts/" + id, "{\"body\":\"Edited on B\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(new TestClient(a.uri()).get("/bob/shared").body()).contains("Edited on B");
        assertThat(onA.get("/api/posts/" + id).body()).contains("Edited on B");

        assertThat(onA.postJson("/api/posts", "{\"title\":\"Other\",\"slug\":\"shared\"}")
                        .statusCode())
                .isEqualTo(409); // the slug is taken, whichever origin took it

        assertThat(onA.delete("/api/posts/" + id).statusCode()).isEqualTo(204);
        assertThat(readerOnB.get("/bob/shared").statusCode()).isEqualTo(404);
    }

    /**
     * With seed-demo on, origins starting together on an empty database all start, and the demo is seeded once.
     * Whether two of them race for the first demo user depends on timing (a 409 there leaves seeding to the winner).
     */
    @Test
    void originsStartingTogetherWithSeedDemoAllStartAndSeedOnce() throws Exception {
        String url = PostgresServer.shared().createDatabase();
        List<CompletableFuture<OriginServer>> starts = new ArrayList<>();
        for (String name : List.of("seed-a", "seed-b", "seed-c")) {
            var config = TestOrigins.config(dir.resolve(name), admin.uri(), url)
                    .withSecurity(
                            new PasswordHashingConfig(TestOrigins.CHEAP_ITERATIONS),
                            new LoginLimitConfig(3, 50, null),
                            true);
            starts.add(CompletableFuture.supplyAsync(() -> OriginServer.start(config)));
        }
        try {
            for (CompletableFuture<OriginServer> start : starts) {
                TestClient c = new TestClient(start.get(60, TimeUnit.SECONDS).uri());
                assertThat(c.get("/alice/hello-edge").statusCode()).isEqualTo(200);
                assertThat(c.get("/alice/hello-edge-2").statusCode()).isEqualTo(404);
                assertThat(c.postJson("/api/login", credentials("bob", "purple-monkey-dishwasher"))
                                .statusCode())
                        .isEqualTo(200);
            }
        } finally {
            for (CompletableFuture<OriginServer> start : starts) {
                if (start.isDone() && !start.isCompletedExceptionally())
                    start.join().close();
            }
        }
    }

    /**
     * Concurrent sign-ups of one name on both origins: one 201, the rest 409, never a 500 from the unique index (the
     * check-then-insert is serialised across origins, not only inside one).
     */
    @Test
    void concurrentSignUpsOfOneNameOnBothOriginsGiveOneAccount() throws Exception {
        int attempts = 16;
        List<Integer> statuses = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            String name = "racer" + round;
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < attempts; i++) {
                    OriginServer origin = i % 2 == 0 ? a : b;
                    answers.add(pool.submit(() -> {
                        go.await();
                        return new TestClient(origin.uri())
                                .postJson("/api/signup", credentials(name, PASSWORD))
                                .statusCode();
                    }));
                }
                go.countDown();
                List<Integer> answered = new ArrayList<>();
                for (Future<Integer> f : answers) answered.add(f.get(30, TimeUnit.SECONDS));
                assertThat(answered).as(name).containsOnly(201, 409).containsOnlyOnce(201);
                statuses.addAll(answered);
            }
        }
        assertThat(statuses).hasSize(5 * attempts);
    }
}
