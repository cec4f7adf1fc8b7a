package dev.edgecache.proxy.internal;

import dev.edgecache.proxy.store.RocksDbStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 8.8: the JNI libraries (RocksDB's 17 MB one, brotli4j's, Netty's) are extracted once into a stable directory
 * and reused on later starts, instead of a fresh copy in {@code java.io.tmpdir} per start: their own loaders leave
 * those copies behind after {@code kill -9} (fifty starts left 780 MB).
 *
 * <p><b>Where:</b> {@code -Dedge.native.dir=DIR} if given, else {@code <store.path>/.native}. The store directory is
 * the one place the edge must be able to write anyway (RocksDB lives there), while its parent, a home directory or a
 * cache directory may not be writable by a service user. RocksDB ignores files it did not create in its directory.
 *
 * <p><b>How:</b> each library goes to {@code <dir>/<name>-<first 12 hex digits of its SHA-256>/<file>}, so the
 * directory name is its version: an upgrade extracts the new one and deletes the other versions. An existing copy is
 * used only when its size and SHA-256 match the library inside the jar (a torn or altered copy is replaced); a new
 * copy is written to a temporary name, synced, and renamed into place, so no process ever loads a half-written file.
 * The directory is created {@code rwx------}. Netty's loader is pointed at {@code <dir>/netty} (it deletes its copy
 * right after loading; leftovers of a crash there are deleted at the next start).
 *
 * <p>Never fatal: when a library cannot be placed (read-only store directory, {@code noexec} mount), that is logged
 * and the library's own loader runs as before. Call once, before any RocksDB, brotli4j or Netty native class is used.
 */
public final class NativeLibraries {
    private static final Logger log = LoggerFactory.getLogger(NativeLibraries.class);
    /** System property naming another directory for the extracted libraries. */
    public static final String DIR_PROPERTY = "edge.native.dir";
    /** The directory's name under {@code store.path} by default. */
    public static final String DIR_NAME = ".native";

    static final String BROTLI_PROPERTY = "brotli4j.library.path";
    static final String NETTY_WORKDIR_PROPERTY = "io.netty.native.workdir";
    /** Netty copies older than this in {@code <dir>/netty} are crash leftovers, not a concurrent start's. */
    private static final Duration NETTY_LEFTOVER_AGE = Duration.ofMinutes(10);

    private NativeLibraries() {}

    /** The directory for the libraries of an edge whose store is at {@code storePath}. */
    public static Path dirFor(Path storePath) {
        String configured = System.getProperty(DIR_PROPERTY);
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : storePath.toAbsolutePath().resolve(DIR_NAME);
    }

    /** Places and loads RocksDB's library, points brotli4j and Netty at {@code dir}; logs what it did. */
    public static void install(Path dir) {
        long start = System.nanoTime();
        String rocksDb = installRocksDb(dir);
        String brotli = installBrotli(dir);
        String netty = pointNetty(dir);
        log.info(
                "native.libraries dir={} rocksdb={} brotli={} netty={} ms={}",
                dir.toAbsolutePath(),
                rocksDb,
                brotli,
                netty,
                (System.nanoTime() - start) / 1_000_000);
    }

    private static String installRocksDb(Path dir) {
        try {
            Placed placed = place(
                    NativeLibraries.class.getClassLoader(),
                    RocksDbStore.nativeLibraryResource(),
                    dir,
                    "rocksdbjni",
                    RocksDbStore.nativeLibraryFileName());
            RocksDbStore.loadNativeLibrary(placed.dir());
            return placed.how();
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            log.warn(
                    "native.rocksdb dir={} error=\"{}\" action=\"RocksDB extracts its own copy into java.io.tmpdir\"",
                    dir,
                    e.toString());
            return "fallback";
        }
    }

    private static String installBrotli(Path dir) {
        if (System.getProperty(BROTLI_PROPERTY) != null) return "as-configured";
        String platform = brotliPlatform();
        if (platform == null) return "not-bundled";
        String file = System.mapLibraryName("brotli");
        try {
            Placed placed = place(
                    NativeLibraries.class.getClassLoader(), "lib/" + platform + "/" + file, dir, "brotli4j", file);
            System.setProperty(BROTLI_PROPERTY, placed.file().toString()); // Brotli4jLoader System.load()s this path
            return placed.how();
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "native.brotli dir={} error=\"{}\" action=\"brotli4j extracts its own copy into java.io.tmpdir\"",
                    dir,
                    e.toString());
            return "fallback";
        }
    }

    /** brotli4j's directory name for this platform, as its loader computes it; null where we ship none. */
    private static @Nullable String brotliPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux")) return null;
        return switch (arch) {
            case "amd64", "x86_64" -> "linux-x86_64";
            case "aarch64" -> "linux-aarch64";
            default -> null;
        };
    }

    private static String pointNetty(Path dir) {
        if (System.getProperty(NETTY_WORKDIR_PROPERTY) != null) return "as-configured";
        Path work = dir.resolve("netty");
        try {
            createPrivateDirectories(work);
            Instant cutoff = Instant.now().minus(NETTY_LEFTOVER_AGE);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(work)) {
                for (Path f : files) {
                    if (Files.getLastModifiedTime(f).toInstant().isBefore(cutoff)) Files.deleteIfExists(f);
                }
            }
            System.setProperty(NETTY_WORKDIR_PROPERTY, work.toString());
            return "workdir";
        } catch (IOException e) {
            return "tmpdir";
        }
    }

    /** A library's stable copy, its directory, and whether it was {@code reused} or {@code extracted} now. */
    record Placed(Path dir, Path file, String how) {}

    /**
     * Makes {@code <dir>/<name>-<sha12>/<fileName>} a verified copy of {@code resource} and deletes other versions of
     * {@code name} in {@code dir}.
     */
    static Placed place(ClassLoader loader, String resource, Path dir, String name, String fileName)
            throws IOException {
        byte[] bytes;
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("no " + resource + " on the class path");
            bytes = in.readAllBytes();
        }
        String sha = sha256(bytes);
        Path versionDir = dir.resolve(name + "-" + sha.substring(0, 12));
        Path target = versionDir.resolve(fileName);
        String how = "reused";
        if (!matches(target, bytes.length, sha)) {
            createPrivateDirectories(versionDir);
            Path part = Files.createTempFile(versionDir, fileName, ".part");
            try {
                try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
                    ByteBuffer buf = ByteBuffer.wrap(bytes);
                    while (buf.hasRemaining()) ch.write(buf);
                    ch.force(true);
                }
                moveIntoPlace(part, target);
            } finally {
                Files.deleteIfExists(part);
            }
            how = "extracted";
        }
        deleteOtherVersions(dir, name, versionDir);
        return new Placed(versionDir, target, how);
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static boolean matches(Path file, long size, String sha) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) != size) return false;
        return sha256(Files.readAllBytes(file)).equals(sha);
    }

    /** Old versions and stray temporary copies (a start killed while extracting) of {@code name}. */
    private static void deleteOtherVersions(Path dir, String name, Path keep) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, name + "-*")) {
            for (Path e : entries) {
                if (!e.equals(keep)) deleteTree(e);
            }
        }
        FileTime cutoff = FileTime.from(Instant.now().minus(NETTY_LEFTOVER_AGE));
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(keep, "*.part")) {
            for (Path p : parts) {
                if (Files.getLastModifiedTime(p).compareTo(cutoff) < 0) Files.deleteIfExists(p);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
