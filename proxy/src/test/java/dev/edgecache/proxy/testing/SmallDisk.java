package dev.edgecache.proxy.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * A small file system of its own (a {@code tmpfs} mounted on a temp directory) that a test can fill with a ballast
 * file and free again: the only way to give a real RocksDB a full disk. Mounting needs root (CI and these sessions
 * run as root); elsewhere the test is skipped with the reason, never failed. {@link #close()} unmounts (lazily if
 * busy) and deletes the mount point.
 */
public final class SmallDisk implements AutoCloseable {
    private static final int CHUNK = 1 << 20;
    private final Path mountPoint;

    private SmallDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code mebibytes}, or skips the calling test when mounting is not permitted. */
    public static SmallDisk mount(int mebibytes) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("edge-small-disk-");
        String out = run(
                List.of("mount", "-t", "tmpfs", "-o", "size=" + mebibytes + "m,mode=0700", "tmpfs", dir.toString()));
        if (out != null) {
            Files.deleteIfExists(dir);
            Assumptions.assumeTrue(
                    false,
                    "skipped: needs a small file system to fill, and mount -t tmpfs is not permitted here (" + out
                            + ")");
        }
        return new SmallDisk(dir);
    }

    public Path path() {
        return mountPoint;
    }

    /** Free bytes on this file system. */
    public long free() throws IOException {
        return Files.getFileStore(mountPoint).getUsableSpace();
    }

    /**
     * Writes a ballast file until at most {@code leaveFree} bytes are free (0: until the file system is full); returns
     * its path.
     */
    public Path fillLeaving(long leaveFree) throws IOException {
        Path ballast = mountPoint.resolve("ballast");
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        try (FileChannel ch = FileChannel.open(
                ballast, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            long toWrite = free() - leaveFree;
            while (toWrite > 0) {
                chunk.clear().limit((int) Math.min(CHUNK, toWrite));
                try {
                    toWrite -= ch.write(chunk);
                } catch (IOException full) {
                    if (leaveFree == 0) break; // the point: the disk is full now
                    throw full;
                }
            }
            if (leaveFree == 0) { // top up the last partial pages
                for (int i = 0; i < 4096; i++) {
                    try {
                        ch.write(ByteBuffer.wrap(new byte[1024]));
                    } catch (IOException full) {
                        break;
                    }
                }
            }
        }
        return ballast;
    }

    /** Deletes the ballast file: the space is back at once. */
    public void free(Path ballast) throws IOException {
        Files.delete(ballast);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String out = run(List.of("umount", mountPoint.toString()));
        if (out != null) run(List.of("umount", "-l", mountPoint.toString()));
        try (Stream<Path> paths = Files.walk(mountPoint)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** Runs a command (bounded: 30 s); null when it succeeded, else its exit code and output. */
    private static @Nullable String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return command + " timed out";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.exitValue() == 0 ? null : command.get(0) + " exited " + p.exitValue() + ": " + out;
    }
}
