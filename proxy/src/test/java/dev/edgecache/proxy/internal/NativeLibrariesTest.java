package dev.edgecache.proxy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 8.8: one verified copy per library version, reused, replaced when torn, old versions deleted. */
class NativeLibrariesTest {
    @TempDir
    Path jar; // stands in for the jar: the class path root the library is read from

    @TempDir
    Path dir;

    private ClassLoader withLibrary(byte[] content) throws IOException {
        Path lib = jar.resolve("lib/libfake.so");
        Files.createDirectories(lib.getParent());
        Files.write(lib, content);
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed);
        return b;
    }

    @Test
    void theFirstStartExtractsAndLaterStartsReuseTheSameFile() throws Exception {
        byte[] lib = bytes(100_000, 1);
        ClassLoader loader = withLibrary(lib);

        NativeLibraries.Placed first = NativeLibraries.place(loader, "lib/libfake.so", dir, "fake", "libfake.so");
        assertThat(first.how()).isEqualTo("extracted");
        assertThat(Files.readAllBytes(first.file())).isEqualTo(lib);
        Object inode = Files.getAttribute(first.file(), "unix:ino");

        NativeLibraries.Placed second = NativeLibraries.place(loader, "lib/libfake.so", dir, "fake", "libfake.so");
        assertThat(second.how()).isEqualTo("reused");
        assertThat(second.file()).isEqualTo(first.file());
        assertThat(Files.getAttribute(second.file(), "unix:ino"))
                .as("not rewritten")
                .isEqualTo(inode);
        assertThat(filesUnder(dir)).containsExactly(first.file());
    }

    @Test
    void aTornOrAlteredCopyIsReplaced() throws Exception {
        byte[] lib = bytes(100_000, 2);
        ClassLoader loader = withLibrary(lib);
        Path file = NativeLibraries.place(loader, "lib/libfake.so", dir, "fake", "libfake.so")
                .file();

        Files.write(file, new byte[] {1, 2, 3}); // torn: a start killed half way through a plain copy
        assertThat(NativeLibraries.place(loader, "lib/libfake.so", dir, "fake", "libfake.so")
                        .how())
                .isEqualTo("extracted");
        assertThat(Files.readAllBytes(file)).isEqualTo(lib);

        byte[] altered = lib.clone();
        altered[500] ^= 1; // same size, other content
        Files.write(file, altered);
        assertThat(NativeLibraries.place(loader, "lib/libfake.so", dir, "fake", "libfake.so")
                        .how())
                .isEqualTo("extracted");
        assertThat(Files.readAllBytes(file)).isEqualTo(lib);
        assertThat(filesUnder(dir)).as("no temporary copies left").containsExactly(file);
    }

    @Test
    void aNewVersionGetsItsOwnDirectoryAndTheOldOneIsDeleted() throws Exception {
        NativeLibraries.Placed old =
                NativeLibraries.place(withLibrary(bytes(1000, 3)), "lib/libfake.so", dir, "fake", "libfake.so");
        Path other = Files.createDirectories(dir.resolve("other-lib")); // not ours to delete
        NativeLibraries.Placed now =
                NativeLibraries.place(withLibrary(bytes(1000, 4)), "lib/libfake.so", dir, "fake", "libfake.so");

        assertThat(now.dir()).isNotEqualTo(old.dir());
        assertThat(now.dir().getFileName().toString()).matches("fake-[0-9a-f]{8}-1000");
        assertThat(old.dir()).doesNotExist();
        assertThat(other).isDirectory();
        assertThat(filesUnder(dir)).containsExactly(now.file());
    }

    @Test
    void theDirectoryIsUnderTheStoreUnlessConfigured() {
        assertThat(NativeLibraries.dirFor(Path.of("/var/lib/edge/store")))
                .isEqualTo(Path.of("/var/lib/edge/store/.native"));
    }

    private static List<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
