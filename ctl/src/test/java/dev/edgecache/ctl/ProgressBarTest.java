package dev.edgecache.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static DeployStatus status(String state, int done, int total, int failures) {
        return new DeployStatus("v2", state, done, total, failures, null, List.of());
    }

    @Test
    void barIsFilledInProportionToPagesDone() {
        assertThat(ProgressBar.line(status("rendering", 45, 100, 1), 20))
                .isEqualTo("v2 rendering [#########...........] 45/100 failures 1");
    }

    @Test
    void almostDoneIsNotDrawnAsDone() {
        assertThat(ProgressBar.line(status("rendering", 99, 100, 0), 10)).contains("[#########.]");
    }

    @Test
    void finishedDeployHasAFullBar() {
        assertThat(ProgressBar.line(status("active", 3, 3, 0), 10)).isEqualTo("v2 active [##########] 3/3 failures 0");
    }

    @Test
    void unknownTotalDrawsAnEmptyBar() {
        assertThat(ProgressBar.line(status("rendering", 0, 0, 0), 5)).isEqualTo("v2 rendering [.....] 0/0 failures 0");
    }

    @Test
    void doneBeyondTotalDoesNotOverflowTheBar() {
        assertThat(ProgressBar.line(status("rendering", 7, 5, 0), 5)).contains("[#####] 7/5");
    }

    @Test
    void defaultWidthIsThirty() {
        assertThat(ProgressBar.line(status("rendering", 0, 10, 0))).contains("[" + ".".repeat(30) + "]");
    }
}
