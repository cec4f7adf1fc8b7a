package dev.edgecache.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AccessLineFormatTest {
    private static final long TIME = 971_186_136_000L; // 2000-10-10T13:55:36Z

    private static AccessEntry entry(String target, String userAgent) {
        return new AccessEntry(
                "192.0.2.7",
                TIME,
                "GET",
                target,
                200,
                2326,
                1234,
                "/{user}/{slug}",
                "hit-memory",
                "v2",
                "https://ref.example/",
                userAgent);
    }

    @Test
    void combinedIsTheApacheFormatFollowedByTheEdgesFields() {
        assertThat(AccessLineFormat.combined(entry("/alice/hello", "curl/8.0")))
                .isEqualTo(
                        "192.0.2.7 - - [10/Oct/2000:13:55:36 +0000] \"GET /alice/hello HTTP/1.1\" 200 2326"
                                + " \"https://ref.example/\" \"curl/8.0\" route=/{user}/{slug} cache=hit-memory deploy=v2 us=1234");
    }

    @Test
    void aReaderCannotForgeALineOrBreakAQuotedField() {
        String line = AccessLineFormat.combined(entry("/a", "x\" 200 1\r\n10.0.0.1 - - [forged"));
        assertThat(line).doesNotContain("\n").doesNotContain("\r").contains("\"x\\\" 200 110.0.0.1 - - [forged\"");
    }

    @Test
    void jsonIsOneObjectPerLineWithEveryField() throws Exception {
        String line = AccessLineFormat.json(entry("/a\"b", "ua\nnext"));
        assertThat(line).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("time").asText()).isEqualTo("2000-10-10T13:55:36Z");
        assertThat(json.get("target").asText()).isEqualTo("/a\"b");
        assertThat(json.get("user-agent").asText()).isEqualTo("ua\nnext");
        assertThat(json.get("status").asInt()).isEqualTo(200);
        assertThat(json.get("bytes").asLong()).isEqualTo(2326);
        assertThat(json.get("cache").asText()).isEqualTo("hit-memory");
        assertThat(json.get("deploy").asText()).isEqualTo("v2");
    }
}
