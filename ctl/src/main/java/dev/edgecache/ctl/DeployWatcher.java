package dev.edgecache.ctl;

import java.time.Duration;

/**
 * Polls {@code GET /deploys/{id}} until the deploy reaches a final state, reporting each step. The interval is
 * a parameter so tests poll without waiting. Runs on the command thread; blocks between polls.
 */
final class DeployWatcher {
    private final AdminClient admin;
    private final Duration interval;
    private final ProgressReporter progress;

    DeployWatcher(AdminClient admin, Duration interval, ProgressReporter progress) {
        if (interval.isNegative()) throw new IllegalArgumentException("interval must not be negative, got " + interval);
        this.admin = admin;
        this.interval = interval;
        this.progress = progress;
    }

    /** Watches {@code id}, starting from an answer already in hand; returns the answer with the final state. */
    AdminAnswer watch(String id, AdminAnswer first) {
        AdminAnswer answer = first;
        try {
            while (true) {
                DeployStatus status = answer.as(DeployStatus.class);
                progress.show(status);
                if (status.finished()) return answer;
                pause();
                answer = admin.get("/deploys/" + UrlParts.segment(id));
            }
        } finally {
            progress.finish(); // also before an error message, so it does not land on the progress line
        }
    }

    private void pause() {
        if (interval.isZero()) return;
        try {
            Thread.sleep(interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException(ExitCodes.FAILED, "interrupted while watching the deploy", e);
        }
    }
}
