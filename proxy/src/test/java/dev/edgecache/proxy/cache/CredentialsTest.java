package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.config.RouteConfig;
import dev.edgecache.common.config.RouteMode;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.testing.TestRoutes;
import dev.edgecache.proxy.origin.OriginResponse;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 11: a request with credentials on an http route (RFC 9111 §3.5 for {@code Authorization}; the same and
 * {@code Vary: Cookie} for a forwarded {@code Cookie}) neither gets nor makes a response shared with others.
 */
class CredentialsTest {
    private static RouteConfig http(boolean forwardCookies) {
        return TestRoutes.route("/**", RouteMode.HTTP)
                .forwardCookies(forwardCookies)
                .build();
    }

    private static List<Header> request(@Nullable String credential) {
        List<Header> h = new ArrayList<>();
        h.add(new Header("Accept", "text/html"));
        if (credential != null) {
            String[] nv = credential.split("=", 2);
            h.add(new Header(nv[0], nv[1]));
        }
        return h;
    }

    private static OriginResponse response(String cacheControl, @Nullable String vary) {
        List<Header> h = new ArrayList<>();
        h.add(new Header("Cache-Control", cacheControl));
        h.add(new Header("Date", "Sat, 05 Dec 2026 12:00:00 GMT"));
        if (vary != null) h.add(new Header("Vary", vary));
        return new OriginResponse(200, h, "page".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * request credential → origin answer → stored (or why not), on a route without and with {@code forward-cookies}
     * ("n/a": that route never forwards the field, so the request is anonymous).
     */
    @ParameterizedTest(name = "{0} + Cache-Control: {1}, Vary: {2} → {3} / {4}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "-                        | max-age=60                  | -              | stored        | stored",
                // RFC 9111 §3.5: Authorization needs public, s-maxage or must-revalidate
                "Authorization=Basic eA== | max-age=60                  | -              | authorization | authorization",
                "Authorization=Basic eA== | public, max-age=60          | -              | stored        | vary cookie missing",
                "Authorization=Basic eA== | s-maxage=60                 | -              | stored        | vary cookie missing",
                "Authorization=Basic eA== | max-age=60, must-revalidate | -              | stored        | vary cookie missing",
                "Authorization=Basic eA== | public, max-age=60          | Cookie         | stored        | stored",
                // issue 11: a forwarded Cookie needs that and Vary: Cookie (a variant only the same Cookie selects)
                "Cookie=sid=1             | max-age=60                  | Cookie         | n/a           | authorization",
                "Cookie=sid=1             | public, max-age=60          | -              | n/a           | vary cookie missing",
                "Cookie=sid=1             | public, max-age=60          | Origin         | n/a           | vary cookie missing",
                "Cookie=sid=1             | public, max-age=60          | Origin, cookie | n/a           | stored",
                "Cookie=sid=1             | s-maxage=60                 | Cookie         | n/a           | stored",
                "Cookie=sid=1             | private, max-age=60         | Cookie         | n/a           | private",
            })
    void whatIsStored(
            @Nullable String credential,
            String cacheControl,
            @Nullable String vary,
            String withoutCookies,
            String withCookies) {
        OriginResponse r = response(cacheControl, vary);
        boolean sent = Credentials.sent(request(credential));
        if (!withoutCookies.equals("n/a")) {
            assertThat(Credentials.notStorableReason(http(false), r, sent).orElse("stored"))
                    .isEqualTo(withoutCookies);
        }
        assertThat(Credentials.notStorableReason(http(true), r, sent).orElse("stored"))
                .isEqualTo(withCookies);
    }

    /** stored response → may it answer a credentialed request, on a route without and with forward-cookies. */
    @ParameterizedTest(name = "Cache-Control: {0}, Vary: {1} → {2} / {3}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "max-age=60           | -              | false | false", // §3.5: not explicitly shared
                "public, max-age=60   | -              | true  | false", // cookies: did the origin look? unknown
                "s-maxage=60          | Accept         | true  | false",
                "public, max-age=60   | Cookie         | true  | true",
                "max-age=60           | Cookie         | false | false",
            })
    void whatMayAnswer(String cacheControl, @Nullable String vary, boolean withoutCookies, boolean withCookies) {
        List<Header> stored = response(cacheControl, vary).headers();
        assertThat(Credentials.mayAnswer(http(false), stored)).isEqualTo(withoutCookies);
        assertThat(Credentials.mayAnswer(http(true), stored)).isEqualTo(withCookies);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {"- | false", "Authorization=x | true", "Cookie=a=1 | true", "Proxy-Authorization=x | false"})
    void whatCountsAsCredentials(@Nullable String credential, boolean expected) {
        assertThat(Credentials.sent(request(credential))).isEqualTo(expected);
    }
}
