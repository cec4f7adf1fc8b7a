package dev.edgecache.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** From purge flags to the {@code POST /purge} body, and from its answer to text. */
class PurgeCommandTest {
    private static String body(String... args) {
        return Json.write(Parsing.command(PurgeCommand.class, args).request().toJson());
    }

    @Test
    void repeatedTagsBecomeOneTagsList() {
        assertThat(body("purge", "--tag", "user:alice", "--tag", "post:hello"))
                .isEqualTo("{\"tags\":[\"user:alice\",\"post:hello\"]}");
    }

    @Test
    void urlsAndPrefixesUseTheirOwnFields() {
        assertThat(body("purge", "--url", "/alice/hello")).isEqualTo("{\"urls\":[\"/alice/hello\"]}");
        assertThat(body("purge", "--prefix", "/alice/", "--prefix", "/bob/"))
                .isEqualTo("{\"prefixes\":[\"/alice/\",\"/bob/\"]}");
    }

    @Test
    void allWithSoftAndDryRun() {
        assertThat(body("purge", "--all", "--soft", "--dry-run"))
                .isEqualTo("{\"all\":true,\"soft\":true,\"dry-run\":true}");
    }

    @Test
    void flagsThatAreNotSetAreNotSent() {
        assertThat(body("purge", "--all")).isEqualTo("{\"all\":true}");
    }

    @Test
    void aSelectorWithoutValuesIsAProgrammingError() {
        assertThatThrownBy(() -> new PurgeRequest(PurgeRequest.Kind.TAGS, List.of(), false, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TAGS");
    }

    @Test
    void answerReadsAsASentence() {
        PurgeRequest hard = new PurgeRequest(PurgeRequest.Kind.TAGS, List.of("t"), false, false);
        PurgeRequest soft = new PurgeRequest(PurgeRequest.Kind.TAGS, List.of("t"), true, false);
        assertThat(new PurgeResult(1, null).describe(hard)).isEqualTo("purged 1 key");
        assertThat(new PurgeResult(12, null).describe(soft)).isEqualTo("marked 12 keys stale");
    }

    @Test
    void dryRunListsTheKeysThatWouldGo() {
        PurgeRequest dry = new PurgeRequest(PurgeRequest.Kind.PREFIXES, List.of("/alice/"), false, true);
        assertThat(new PurgeResult(2, List.of("/alice/a", "/alice/b")).describe(dry))
                .isEqualTo("dry run: would purge 2 keys\n  /alice/a\n  /alice/b");
    }
}
