package dev.edgecache.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {
    private final StringWriter err = new StringWriter();

    private static DeployStatus status(int done, int failures) {
        return new DeployStatus("v2", done == 4 ? "active" : "rendering", done, 4, failures, null, List.of());
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlaceAndEndedOnce() {
        ProgressReporter progress = new ProgressReporter(new PrintWriter(err), true);
        progress.show(status(1, 0));
        progress.show(status(4, 0));
        progress.finish();
        progress.finish();
        String line1 = ProgressBar.line(status(1, 0));
        String line2 = ProgressBar.line(status(4, 0));
        // "active" is shorter than "rendering": the tail of the old line is blanked out
        String pad = " ".repeat(line1.length() - line2.length());
        assertThat(err).hasToString("\r" + line1 + "\r" + line2 + pad + System.lineSeparator());
    }

    @Test
    void elsewhereOnlyChangesArePrintedAsPlainLines() {
        ProgressReporter progress = new ProgressReporter(new PrintWriter(err), false);
        progress.show(status(1, 0));
        progress.show(status(1, 0));
        progress.show(status(2, 1));
        progress.finish();
        assertThat(err.toString().lines().toList())
                .containsExactly(ProgressBar.line(status(1, 0)), ProgressBar.line(status(2, 1)));
        assertThat(err.toString()).doesNotContain("\r");
    }
}
