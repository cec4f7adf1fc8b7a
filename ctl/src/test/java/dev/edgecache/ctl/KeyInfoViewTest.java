package dev.edgecache.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

class KeyInfoViewTest {
    @Test
    void keyInfoReadsAsOneFieldPerLine() throws JsonProcessingException {
        KeyInfo info = Json.read("""
                {"url":"/alice/hello","deploy":"v1","status":200,"state":"fresh",
                 "stored-at":1764201600000,"expires-at":null,"tags":["user:alice","post:hello"],
                 "size":4301,"etag":"\\"WJG1\\"","future-field":1}
                """, KeyInfo.class);
        assertThat(KeyInfoView.render(info)).isEqualTo("""
                url         /alice/hello
                deploy      v1
                status      200
                state       fresh
                stored-at   2025-11-27T00:00:00Z
                expires-at  never (until the next deploy or a purge)
                tags        user:alice, post:hello
                size        4.2 KiB (4301 bytes)
                etag        "WJG1"
                """);
    }

    @Test
    void staleUntilIsShownOnlyWhenTheRouteHasOne() throws JsonProcessingException {
        KeyInfo info = Json.read(
                "{\"url\":\"/alice/posts\",\"status\":200,\"expires-at\":1764201660000,"
                        + "\"stale-until\":1764201900000,\"size\":10}",
                KeyInfo.class);
        assertThat(KeyInfoView.render(info))
                .contains("expires-at   2025-11-27T00:01:00Z\n")
                .contains("stale-until  2025-11-27T00:05:00Z\n");
    }

    @Test
    void isoTimesAreShownAsGiven() {
        assertThat(KeyInfoView.time("2026-11-27T10:00:00Z", "-")).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(KeyInfoView.time(null, "-")).isEqualTo("-");
    }

    @Test
    void sizesUseBinaryUnits() {
        assertThat(KeyInfoView.size(1)).isEqualTo("1 byte");
        assertThat(KeyInfoView.size(1023)).isEqualTo("1023 bytes");
        assertThat(KeyInfoView.size(3L * 1024 * 1024)).isEqualTo("3.0 MiB (3145728 bytes)");
    }

    @Test
    void missingFieldsShowAsDashes() throws JsonProcessingException {
        KeyInfo info = Json.read("{\"url\":\"/x\",\"status\":404,\"state\":\"negative\",\"size\":0}", KeyInfo.class);
        assertThat(KeyInfoView.render(info))
                .contains("deploy      -\n")
                .contains("tags        -\n")
                .contains("size        0 bytes\n");
    }
}
