package dev.edgecache.proxy.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Samples the resident set size of a child process ({@code VmRSS} in {@code /proc/PID/status}) at a fixed rate, for
 * soak figures: what the process really holds (heap, direct buffers, RocksDB's native memory), which no JVM metric
 * shows in one number. The pid is asked for at every sample, so the process may be replaced (a restart).
 */
public final class RssSampler implements AutoCloseable {
    private final LongSupplier pid;
    private final List<Long> kib = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rss-sampler");
        t.setDaemon(true);
        return t;
    });
    private @Nullable ScheduledFuture<?> task;

    /** @param pid the process to sample now, or a negative number to skip this sample (e.g. while it restarts) */
    public RssSampler(LongSupplier pid) {
        this.pid = pid;
    }

    public void start(Duration every) {
        task = timer.scheduleAtFixedRate(this::sample, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sample() {
        long p = pid.getAsLong();
        if (p < 0) return;
        long v = vmRssKib(p);
        if (v >= 0) kib.add(v);
    }

    /** VmRSS of {@code pid} in KiB, or -1 when the process is gone or the line is missing. */
    public static long vmRssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
            return -1;
        } catch (IOException gone) {
            return -1;
        }
    }

    public int samples() {
        return kib.size();
    }

    /** {@code min/median/max} in MiB, or {@code n/a} before the first sample. */
    public String summaryMiB() {
        List<Long> sorted = new ArrayList<>(kib);
        if (sorted.isEmpty()) return "n/a";
        sorted.sort(null);
        return String.format(
                Locale.ROOT,
                "%d/%d/%d",
                sorted.get(0) / 1024,
                sorted.get(sorted.size() / 2) / 1024,
                sorted.get(sorted.size() - 1) / 1024);
    }

    @Override
    public void close() throws InterruptedException {
        if (task != null) task.cancel(false);
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
