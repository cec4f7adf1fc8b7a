package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.config.RouteMode;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.common.testing.TestRoutes;
import dev.edgecache.proxy.origin.OriginResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CachePolicyTest {
    private static final RouteConfig PERSISTENT = RouteConfig.of("/{user}/{slug}", RouteMode.PERSISTENT, null);
    private static final RouteConfig TTL = RouteConfig.of("/{user}/posts", RouteMode.TTL, Duration.ofSeconds(60));

    private static OriginResponse response(int status, String... headers) {
        List<Header> h = new ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) h.add(new Header(headers[i], headers[i + 1]));
        return new OriginResponse(status, h, "body".getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} stored: {1}")
    @CsvSource({
        "200,true",
        "301,true",
        "308,true",
        "404,true",
        "410,true",
        "302,false",
        "206,false",
        "500,false",
        "503,false",
        "204,false"
    })
    void onlyPagesRedirectsAndNegativeAnswersAreStored(int status, boolean stored) {
        assertThat(CachePolicy.notStorableReason(PERSISTENT, response(status)).isEmpty())
                .isEqualTo(stored);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Set-Cookie|sid=1",
                "Cache-Control|private",
                "Cache-Control|no-store",
                "Cache-Control|no-cache",
                "Cache-Control|public, Private",
                "Vary|Accept-Language",
                "Vary|*",
            })
    void oneClientsResponsesAreNeverStoredWhateverTheRoute(String name, String value) { // RFC 9111 §3
        assertThat(CachePolicy.notStorableReason(PERSISTENT, response(200, name, value)))
                .isPresent();
        assertThat(CachePolicy.notStorableReason(TTL, response(200, name, value)))
                .isPresent();
    }

    @Test
    void varyOnAcceptEncodingOnlyIsFineBecauseRendersAreIdentityEncoded() {
        assertThat(CachePolicy.notStorableReason(PERSISTENT, response(200, "Vary", "Accept-Encoding")))
                .isEmpty();
    }

    @Test
    void sharingIsRefusedForCookiesAndPrivateButNotForErrors() {
        assertThat(CachePolicy.isShareable(response(500))).isTrue();
        assertThat(CachePolicy.isShareable(response(200, "Set-Cookie", "a=b"))).isFalse();
        assertThat(CachePolicy.isShareable(response(200, "Cache-Control", "private")))
                .isFalse();
    }

    @Test
    void bodiesOverTheRouteLimitAreNotStored() {
        RouteConfig tiny = TestRoutes.route("/**", RouteMode.PERSISTENT)
                .maxObjectSize(dev.edgecache.common.config.DataSize.parse("3B"))
                .build();
        assertThat(CachePolicy.notStorableReason(tiny, response(200))).contains("too large");
    }

    @Test
    void expiryFollowsTheRouteAndTheStatus() {
        assertThat(CachePolicy.toEntry(PERSISTENT, response(200), "v1", 1000, 0).expiresAtMillis())
                .isEqualTo(StoredEntry.NEVER);
        assertThat(CachePolicy.toEntry(TTL, response(200), "v1", 1000, 0).expiresAtMillis())
                .isEqualTo(61_000);
        assertThat(CachePolicy.toEntry(PERSISTENT, response(404), "v1", 1000, 0).expiresAtMillis())
                .isEqualTo(11_000);
    }

    @Test
    void tagsComeFromCacheTagAndSurrogateKeyDeduplicated() {
        StoredEntry e = CachePolicy.toEntry(
                PERSISTENT,
                response(200, "Cache-Tag", "post:alice/hello, user:alice", "Surrogate-Key", "user:alice  home"),
                "v1",
                0,
                0);
        assertThat(e.tags()).containsExactly("post:alice/hello", "user:alice", "home");
    }

    @Test
    void storedHeadersDropFramingHopByHopAndInternalFields() {
        StoredEntry e = CachePolicy.toEntry(
                PERSISTENT,
                response(
                        200,
                        "Content-Type",
                        "text/html",
                        "Content-Length",
                        "4",
                        "Connection",
                        "x-secret",
                        "X-Secret",
                        "1",
                        "Keep-Alive",
                        "timeout=5",
                        "Cache-Tag",
                        "a",
                        "Age",
                        "3",
                        "Last-Modified",
                        "Sun, 06 Nov 1994 08:49:37 GMT"),
                "v1",
                0,
                0);
        assertThat(e.headers()).extracting(Header::name).containsExactly("Content-Type", "Last-Modified", "Date");
    }

    @Test
    void aDateIsAddedWhenTheOriginSentNone() { // RFC 9110 §6.6.1, so that a 304 can carry it (§15.4.5)
        assertThat(CachePolicy.toEntry(PERSISTENT, response(200), "v1", 0, 0).header("Date"))
                .isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
        assertThat(CachePolicy.toEntry(PERSISTENT, response(200, "Date", "Sun, 06 Nov 1994 08:49:37 GMT"), "v1", 0, 0)
                        .headers())
                .extracting(Header::name)
                .containsExactly("Date");
    }

    /** The tag the edge makes when the origin sent none: a strong hash of {@code "body"}. */
    static final String BODY_TAG = dev.edgecache.common.http.EntityTags.ofBody("body".getBytes(StandardCharsets.UTF_8));

    @ParameterizedTest(name = "origin ETag {0} → stored {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = { // RFC 9110 §8.8.3: the origin's validator, weak or strong, verbatim; else one of our own
                "\"v1\"   | \"v1\"",
                "W/\"v1\" | W/\"v1\"", // Express, nginx with gzip
                "W/\"\"   | W/\"\"",
                "-        | BODY",
                "v1       | BODY", // not an entity-tag: as if none were sent
            })
    void theOriginsEtagIsStoredVerbatimAndABodyTagMadeOnlyWithoutOne(String originTag, String expected) {
        String want = expected.equals("BODY") ? BODY_TAG : expected;
        OriginResponse r = originTag == null ? response(200) : response(200, "ETag", originTag);
        for (RouteConfig route : List.of(PERSISTENT, TTL)) {
            StoredEntry e = CachePolicy.toEntry(route, r, "v1", 0, 0);
            assertThat(e.etag()).as(route.mode().toString()).isEqualTo(want);
            assertThat(e.header("ETag"))
                    .as("the origin's ETag is kept among the stored headers: it marks the tag as the origin's")
                    .isEqualTo(originTag);
        }
        assertThat(HttpCachePolicy.toEntry(r, "v1", 0, 0).etag()).as("http").isEqualTo(want);
        assertThat(HttpCachePolicy.toEntry(r, "v1", 0, 0).header("ETag")).isEqualTo(originTag);
    }
}
