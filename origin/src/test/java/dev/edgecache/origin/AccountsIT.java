package dev.edgecache.origin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.origin.testing.FakeAdminServer;
import dev.edgecache.origin.testing.TestClient;
import dev.edgecache.origin.testing.TestDatabase;
import dev.edgecache.origin.testing.TestOrigins;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Sign-up, log-in, log-out and sessions over real HTTP, through the JSON API and the HTML forms, on each database. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class AccountsIT {
    @Parameter
    TestDatabase database;

    @TempDir
    static Path dir;

    static FakeAdminServer admin;
    static OriginServer origin;

    @BeforeParameterizedClassInvocation
    static void start(TestDatabase database) {
        Path data = dir.resolve(database.name());
        String url = database.newUrl(data);
        admin = new FakeAdminServer();
        origin = OriginServer.start(TestOrigins.config(data, admin.uri(), url));
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

    private static String credentials(String user, String password) {
        return "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
    }

    @Test
    void signUpSetsAHardenedSessionCookieAndMeKnowsTheUser() {
        TestClient c = client();
        HttpResponse<String> r = c.postJson("/api/signup", credentials("carol", "long-enough-password"));
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).isEqualTo("{\"username\":\"carol\"}");
        String cookie = r.headers().firstValue("set-cookie").orElseThrow();
        assertThat(cookie).startsWith("sid=").contains("HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=");
        assertThat(cookie.substring(4, cookie.indexOf(';'))).hasSize(43); // 256 bits, base64url
        assertThat(r.headers().firstValue("cache-control")).hasValue("private, no-store");
        HttpResponse<String> me = c.get("/api/me");
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).isEqualTo("{\"username\":\"carol\"}");
    }

    @Test
    void logOutEndsTheSessionOnTheServer() {
        TestClient c = client().signUp("dave", "long-enough-password");
        String sid = c.cookies().get("sid");
        assertThat(c.postJson("/api/logout", "{}").statusCode()).isEqualTo(204);
        assertThat(c.get("/api/me").statusCode()).isEqualTo(401);
        TestClient replay = client();
        replay.cookies().put("sid", sid); // a kept copy of the cookie is worthless now
        HttpResponse<String> me = replay.get("/api/me");
        assertThat(me.statusCode()).isEqualTo(401);
        assertThat(me.body()).isEqualTo("{\"error\":\"not signed in\"}");
    }

    @Test
    void duplicateUsernameIs409() {
        client().signUp("erin", "long-enough-password");
        HttpResponse<String> r = client().postJson("/api/signup", credentials("erin", "another-long-password"));
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("\"error\"", "taken");
    }

    @Test
    void weakEmptyOrMalformedInputIs400() {
        TestClient c = client();
        assertThat(c.postJson("/api/signup", credentials("frank", "")).statusCode())
                .isEqualTo(400);
        assertThat(c.postJson("/api/signup", credentials("frank", "short")).statusCode())
                .isEqualTo(400);
        assertThat(c.postJson("/api/signup", credentials("frank", "password123"))
                        .statusCode())
                .isEqualTo(400);
        assertThat(c.postJson("/api/signup", credentials("Frank!", "long-enough-password"))
                        .statusCode())
                .isEqualTo(400);
        assertThat(c.postJson("/api/signup", credentials("admin", "long-enough-password"))
                        .statusCode())
                .isEqualTo(400);
        assertThat(c.postJson("/api/signup", "{not json").statusCode()).isEqualTo(400);
        assertThat(c.post("/api/signup", "text/plain", credentials("frank", "long-enough-password"))
                        .statusCode())
                .isEqualTo(415);
        assertThat(c.cookies()).doesNotContainKey("sid");
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSame401() {
        client().signUp("grace", "long-enough-password");
        HttpResponse<String> wrong = client().postJson("/api/login", credentials("grace", "not-the-password"));
        HttpResponse<String> unknown = client().postJson("/api/login", credentials("nobody-here", "whatever-pass"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo(unknown.body()).isEqualTo("{\"error\":\"wrong username or password\"}");
        TestClient c = client();
        assertThat(c.postJson("/api/login", credentials("grace", "long-enough-password"))
                        .statusCode())
                .isEqualTo(200);
        assertThat(c.get("/api/me").body()).contains("grace");
    }

    @Test
    void repeatedFailedLogInsAreThrottledWith429() {
        client().signUp("heidi", "long-enough-password");
        for (int i = 0; i < 3; i++) {
            assertThat(client().postJson("/api/login", credentials("heidi", "bad-password-" + i))
                            .statusCode())
                    .isEqualTo(401);
        }
        HttpResponse<String> blocked = client().postJson("/api/login", credentials("heidi", "long-enough-password"));
        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.headers().firstValue("retry-after")).isPresent();
    }

    @Test
    void htmlSignUpAndLogInNeedTheFormToken() {
        TestClient c = client();
        HttpResponse<String> page = c.get("/signup");
        assertThat(page.headers().firstValue("cache-control")).hasValue("private, no-store");
        assertThat(c.cookies()).containsKey("csrf");
        Map<String, String> form = Map.of("username", "ivan", "password", "long-enough-password");
        HttpResponse<String> forged = c.postForm("/signup", form);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.headers().firstValue("cache-control")).hasValue("private, no-store");
        String token = c.csrfFrom("/signup");
        HttpResponse<String> ok =
                c.postForm("/signup", Map.of("username", "ivan", "password", "long-enough-password", "csrf", token));
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.headers().firstValue("location")).hasValue("/dashboard");
        assertThat(c.get("/dashboard").body()).contains("Your posts");

        TestClient other = client();
        String loginToken = other.csrfFrom("/login");
        HttpResponse<String> wrong =
                other.postForm("/login", Map.of("username", "ivan", "password", "nope-nope-nope", "csrf", loginToken));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("wrong username or password");
        HttpResponse<String> crossSite = other.postForm(
                "/login", Map.of("username", "ivan", "password", "long-enough-password", "csrf", "A".repeat(43)));
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(other.postForm(
                                "/login",
                                Map.of("username", "ivan", "password", "long-enough-password", "csrf", loginToken))
                        .statusCode())
                .isEqualTo(303);

        assertThat(other.postForm("/logout", Map.of()).statusCode()).isEqualTo(403);
        String dashToken = other.csrfFrom("/dashboard");
        assertThat(other.postForm("/logout", Map.of("csrf", dashToken)).statusCode())
                .isEqualTo(303);
        assertThat(other.get("/dashboard").statusCode()).isEqualTo(303);
    }

    @Test
    void signedInVisitorsAreSentFromTheFormsToTheDashboardAndAnonymousOnesToLogIn() {
        TestClient c = client();
        assertThat(c.get("/dashboard").headers().firstValue("location")).hasValue("/login");
        assertThat(c.get("/editor/new").headers().firstValue("location")).hasValue("/login");
        c.signUp("judy", "long-enough-password");
        assertThat(c.get("/login").headers().firstValue("location")).hasValue("/dashboard");
    }
}
