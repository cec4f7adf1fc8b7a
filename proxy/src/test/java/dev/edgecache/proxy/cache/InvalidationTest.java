package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.store.Header;
import dev.edgecache.proxy.origin.OriginResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9111 §4.4: what a successful unsafe request invalidates. */
class InvalidationTest {
    @ParameterizedTest(name = "{0} {1} → {4}, Location {3}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "POST  |/posts        |201| /posts/7                     | /posts,/posts/7",
                "PUT   |/posts/7      |200| -                            | /posts/7",
                "DELETE|/posts/7      |204| -                            | /posts/7",
                "PATCH |/posts/7      |303| http://blog.example/posts/7?x| /posts/7,/posts/7?x",
                "POST  |/a/b          |201| c                            | /a/b,/a/c",
                "POST  |/a/b          |201| /a/./x/../c                  | /a/b,/a/c",
                "POST  |/posts        |201| http://evil.example/posts/7  | /posts",
                "POST  |/posts        |201| //evil.example/posts/7       | /posts",
                "POST  |/posts        |201| https://blog.example/posts/7 | /posts,/posts/7",
                "POST  |/posts        |201| http://blog.example:81/x     | /posts",
                "POST  |/posts        |400| /posts/7                     | ''",
                "POST  |/posts        |500| /posts/7                     | ''",
                "GET   |/posts        |200| /posts/7                     | ''",
                "OPTIONS|/posts       |200| -                            | ''",
                // issue 11: every method not known to be safe invalidates (RFC 9111 §4.4, RFC 9110 §9.2.1)
                "MKCOL |/posts/d      |201| -                            | /posts/d",
                "MOVE  |/posts/7      |201| /posts/8                     | /posts/7,/posts/8",
                "LOCK  |/posts/7      |200| -                            | /posts/7",
                "PROPPATCH|/posts/7   |207| -                            | /posts/7",
                "FROB  |/posts/7      |200| -                            | /posts/7",
                "get   |/posts/7      |200| -                            | /posts/7", // method names are case-sensitive
                // (§9.1)
                "FROB  |/posts/7      |404| -                            | ''",
                "PROPFIND|/posts/7    |207| -                            | ''", // safe (RFC 4918 §9.1)
                "REPORT|/posts/7      |200| -                            | ''", // safe (RFC 3253 §3.6)
                "SEARCH|/posts        |200| -                            | ''", // safe (RFC 5323 §2)
                "QUERY |/posts        |200| -                            | ''", // safe by definition
                "TRACE |/posts        |200| -                            | ''",
                "HEAD  |/posts        |200| -                            | ''",
            })
    void targets(String method, String target, int status, String location, String expected) {
        List<Header> h = new ArrayList<>();
        if (location != null) h.add(new Header("Location", location));
        List<String> got = Invalidation.targets(
                method, CacheKey.fromRequestTarget(target), "blog.example", new OriginResponse(status, h, new byte[0]));
        assertThat(String.join(",", got)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "Content-Location {0}")
    @CsvSource({"/posts/7,'/posts,/posts/7'", "http://other/x,/posts"})
    void contentLocationToo(String contentLocation, String expected) {
        List<String> got = Invalidation.targets(
                "POST",
                CacheKey.fromRequestTarget("/posts"),
                "blog.example",
                new OriginResponse(200, List.of(new Header("Content-Location", contentLocation)), new byte[0]));
        assertThat(String.join(",", got)).isEqualTo(expected);
    }
}
