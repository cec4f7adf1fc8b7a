package dev.edgecache.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How deploys read: the list as a table, one deploy's status as fields. */
class DeployViewsTest {
    @Test
    void deployListMarksTheActiveDeploy() throws JsonProcessingException {
        DeployList list = Json.read("""
                {"deploys":[{"id":"v3","state":"active","pages":120,"active":true},
                            {"id":"v2","state":"retained","pages":118,"active":false}]}
                """, DeployList.class);
        assertThat(list.table()).isEqualTo("""
                ID  STATE     PAGES  ACTIVE
                v3  active    120    *
                v2  retained  118
                """);
    }

    @Test
    void anEstimatedCountIsMarked() throws JsonProcessingException { // a deploy of a million pages is not scanned
        DeployList list = Json.read("""
                {"deploys":[{"id":"v1","state":"active","pages":1000214,"pages-estimated":true,"active":true}]}
                """, DeployList.class);
        assertThat(list.table()).contains("v1  active  ~1000214  *");
    }

    @Test
    void noDeploysSaysSo() {
        assertThat(new DeployList(null).table()).isEqualTo("no deploys\n");
    }

    @Test
    void failedDeployShowsReasonAndFailedPages() throws JsonProcessingException {
        DeployStatus status = Json.read("""
                {"id":"v2","state":"failed","done":10,"total":10,"failures":4,
                 "reason":"4 of 10 critical pages failed (limit 10%)",
                 "errors":[{"url":"/alice/hello","reason":"origin answered 500"},{"url":"/","reason":"timeout"}]}
                """, DeployStatus.class);
        assertThat(DeployStatusView.render(status)).isEqualTo("""
                deploy    v2
                state     failed
                rendered  10/10
                failures  4
                reason    4 of 10 critical pages failed (limit 10%)
                failed pages:
                  /alice/hello  origin answered 500
                  /             timeout
                """);
    }

    @Test
    void finalStatesEndAWatchAndUnknownOnesDoNot() {
        for (String state : List.of("active", "retained", "failed", "deleted")) {
            assertThat(new DeployStatus("v2", state, 0, 0, 0, null, null).finished())
                    .as(state)
                    .isTrue();
        }
        assertThat(new DeployStatus("v2", "rendering", 0, 0, 0, null, null).finished())
                .isFalse();
        assertThat(new DeployStatus("v2", "queued", 0, 0, 0, null, null).finished())
                .isFalse();
    }
}
