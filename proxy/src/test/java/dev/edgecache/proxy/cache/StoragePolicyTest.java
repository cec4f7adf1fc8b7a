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
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each route mode's storage rules, chosen once per route. */
class StoragePolicyTest {
    private static final OriginResponse VARYING = new OriginResponse(
            200,
            List.of(new Header("Cache-Control", "max-age=60"), new Header("Vary", "Accept-Language, Accept")),
            "x".getBytes(StandardCharsets.UTF_8));

    @Test
    void eachModeHasItsPolicyAndARouteKeepsIt() {
        assertThat(StoragePolicy.of(RouteMode.PERSISTENT)).isSameAs(PageStorage.INSTANCE);
        assertThat(StoragePolicy.of(RouteMode.TTL)).isSameAs(PageStorage.INSTANCE);
        assertThat(StoragePolicy.of(RouteMode.HTTP)).isSameAs(HttpStorage.INSTANCE);
        assertThat(StoragePolicy.of(RouteMode.PASS)).isSameAs(NoStorage.INSTANCE);
        Route http = new RouteTable(List.of(RouteConfig.of("/docs/**", RouteMode.HTTP, null))).match("/docs/a");
        assertThat(http.storage()).isSameAs(HttpStorage.INSTANCE);
    }

    @Test
    void onlyHttpRoutesForwardCredentialsSoOnlyTheyTreatThemAsPersonal() { // RFC 9111 §3.5
        RouteConfig http = RouteConfig.of("/docs/**", RouteMode.HTTP, null);
        RouteConfig persistent = RouteConfig.of("/p/**", RouteMode.PERSISTENT, null);
        assertThat(HttpStorage.INSTANCE.credentialed(http, "Authorization"::equalsIgnoreCase))
                .isTrue();
        assertThat(HttpStorage.INSTANCE.credentialed(http, n -> false)).isFalse();
        assertThat(HttpStorage.INSTANCE.credentialed(http, "Cookie"::equalsIgnoreCase))
                .as("Cookie only where the route forwards it (issue 11)")
                .isFalse();
        RouteConfig cookies =
                TestRoutes.route("/me/**", RouteMode.HTTP).forwardCookies(true).build();
        assertThat(HttpStorage.INSTANCE.credentialed(cookies, "Cookie"::equalsIgnoreCase))
                .isTrue();
        assertThat(PageStorage.INSTANCE.credentialed(persistent, "Authorization"::equalsIgnoreCase))
                .as("never forwarded on persistent/ttl routes")
                .isFalse();
    }

    @Test
    void pagesAreOneForEveryReaderWhileHttpResponsesAreSelectedByVary() { // RFC 9111 §4.1
        assertThat(PageStorage.INSTANCE.selectingFields(VARYING)).isEmpty();
        assertThat(HttpStorage.INSTANCE.selectingFields(VARYING))
                .containsExactlyInAnyOrder("accept", "accept-language");
        assertThat(PageStorage.INSTANCE.fillsFromPeers()).isTrue();
        assertThat(HttpStorage.INSTANCE.fillsFromPeers()).isFalse();
    }

    @Test
    void staleIfErrorComesFromTheRouteOnPagesAndFromTheOriginOnHttp() { // RFC 5861 §4
        RouteConfig ttl = RouteConfig.of("/l/**", RouteMode.TTL, Duration.ofSeconds(10));
        StoredEntry expired = new StoredEntry(
                200,
                List.of(new Header("Cache-Control", "max-age=10, stale-if-error=60")),
                new byte[0],
                0,
                10_000,
                10_000,
                "\"t\"",
                List.of(),
                "v1",
                0);
        assertThat(HttpStorage.INSTANCE.mayServeOnError(ttl, expired, 30_000)).isTrue();
        assertThat(HttpStorage.INSTANCE.mayServeOnError(ttl, expired, 80_000)).isFalse();
        assertThat(PageStorage.INSTANCE.mayServeOnError(ttl, expired, 30_000))
                .as("a ttl route without stale-if-error ignores the origin's")
                .isFalse();
        assertThat(NoStorage.INSTANCE.notStorableReason(ttl, VARYING, false)).contains("pass route");
    }
}
