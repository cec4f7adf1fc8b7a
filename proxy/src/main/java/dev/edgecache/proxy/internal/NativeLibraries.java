package dev.edgecache.proxy.internal;

import dev.edgecache.proxy.store.RocksDbStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
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
 * <p><b>How:</b> each library goes to {@code <dir>/<name>-<its CRC-32>-<its size>/<file>}, so the directory name is
 * its version: an upgrade extracts the new one and deletes the other versions. An existing copy is used only when its
 * size and CRC-32 match the library's entry in the jar (a torn or damaged copy is replaced); a new copy is written to
 * a temporary name, checked, synced, and renamed into place, so no process ever loads a half-written file. (A CRC
 * finds damage, not tampering: the directory is private to the edge's user, who could change the jar as well.)
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
        Path dir = configured != null && !configured.isBlank() ? Path.of(configured) : storePath.resolve(DIR_NAME);
        return dir.toAbsolutePath(); // System.load takes absolute paths only
    }

    /** Places and loads RocksDB's library, points brotli4j and Netty at {@code dir}; logs what it did. */
    public static void install(Path where) {
        long start = System.nanoTime();
        Path dir = where.toAbsolutePath(); // System.load takes absolute paths only
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
     * Makes {@code <dir>/<name>-<crc>/<fileName>} a verified copy of {@code resource} and deletes other versions of
     * {@code name} in {@code dir}. The library's identity is its CRC-32 and size as the jar's directory records them,
     * so a start that reuses the copy inflates nothing: it reads the copy once to check its CRC (measured: inflating
     * and hashing RocksDB's 17 MB on every start cost seconds on a busy 2-core machine).
     */
    static Placed place(ClassLoader loader, String resource, Path dir, String name, String fileName)
            throws IOException {
        URL url = loader.getResource(resource);
        if (url == null) throw new IOException("no " + resource + " on the class path");
        Checksum source = checksumOf(url);
        Path versionDir = dir.resolve(name + "-" + source.hex());
        Path target = versionDir.resolve(fileName);
        String how = "reused";
        if (!source.equals(checksumOfFile(target))) {
            createPrivateDirectories(versionDir);
            Path part = Files.createTempFile(versionDir, fileName, ".part");
            try {
                Checksum written;
                try (InputStream in = url.openStream();
                        CheckedInputStream checked = new CheckedInputStream(in, new CRC32());
                        FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
                    long size = 0;
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = checked.read(buf)) > 0; size += n) {
                        ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                        while (b.hasRemaining()) ch.write(b);
                    }
                    ch.force(true);
                    written = new Checksum(size, checked.getChecksum().getValue());
                }
                if (!written.equals(source)) {
                    throw new IOException(
                            "copy of " + resource + " does not match the jar: " + written + " vs " + source);
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

    /** Size and CRC-32 of a library: its version name and the check that a copy is whole. */
    record Checksum(long size, long crc) {
        String hex() {
            return String.format(Locale.ROOT, "%08x-%d", crc, size);
        }
    }

    /** From the jar's directory when the library is in a jar (nothing inflated), else by reading it. */
    private static Checksum checksumOf(URL url) throws IOException {
        URLConnection c = url.openConnection();
        if (c instanceof JarURLConnection jar) {
            jar.setUseCaches(false); // do not keep a second handle on the jar open
            JarEntry e = jar.getJarEntry();
            try {
                if (e != null && e.getSize() >= 0 && e.getCrc() >= 0) return new Checksum(e.getSize(), e.getCrc());
            } finally {
                jar.getJarFile().close();
            }
        }
        try (InputStream in = url.openStream()) {
            return checksumOf(in);
        }
    }

    private static @Nullable Checksum checksumOfFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return null;
        try (InputStream in = Files.newInputStream(file)) {
            return checksumOf(in);
        }
    }

    private static Checksum checksumOf(InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[1 << 16];
        long size = 0;
        for (int n; (n = in.read(buf)) > 0; size += n) crc.update(buf, 0, n);
        return new Checksum(size, crc.getValue());
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
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
}
