package dev.edgecache.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.edgecache.proxy.testing.EdgeProcess;
import dev.edgecache.proxy.testing.Http;
import dev.edgecache.proxy.testing.Origins;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8.8: every start of the jar used to extract RocksDB's 17 MB library (and brotli4j's) into the temp directory,
 * where {@code kill -9} left them. Now two starts killed with {@code -9} leave nothing in the child's own
 * {@code java.io.tmpdir}, and the second start reuses the copy under {@code <store>/.native}; a torn copy is replaced.
 */
class Issue8NativeLibrariesIT {
    @RegisterExtension
    static WireMockExtension origin = Origins.wireMock();

    @TempDir
    Path dir;

    @Test
    void startsKilledWithSigkillLeaveNoLibrariesInTheTempDirAndReuseOneStableCopy() throws Exception {
        origin.stubFor(get("/alice/hello")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "text/html")
                        .withBody("<p>" + "hello ".repeat(200) + "</p>"))); // compressible: brotli4j runs
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path store = dir.resolve("store");
        Path cfg = config(store);
        List<String> jvm = List.of("-Djava.io.tmpdir=" + tmp);

        Path rocksDb;
        FileTime extractedAt;
        try (EdgeProcess edge = EdgeProcess.start(cfg, dir.resolve("run1.log"), jvm)) {
            HttpResponse<String> r = Http.get(edge.port, "/alice/hello", "Accept-Encoding", "br");
            assertThat(r.headers().firstValue("Content-Encoding"))
                    .as("brotli4j loaded")
                    .contains("br");
            assertThat(edge.output()).contains("native.libraries").contains("rocksdb=extracted");
            edge.kill9();
        }
        assertThat(nativeLeftovers(tmp)).as("after kill -9, in java.io.tmpdir").isEmpty();
        rocksDb = onlyRocksDbCopy(store);
        extractedAt = Files.getLastModifiedTime(rocksDb);

        try (EdgeProcess edge = EdgeProcess.start(cfg, dir.resolve("run2.log"), jvm)) {
            HttpResponse<String> r = Http.get(edge.port, "/alice/hello");
            assertThat(r.headers().firstValue("Cache-Status")).contains("edge; hit");
            assertThat(edge.output()).contains("rocksdb=reused").contains("brotli=reused");
            edge.kill9();
        }
        assertThat(nativeLeftovers(tmp)).isEmpty();
        assertThat(onlyRocksDbCopy(store)).isEqualTo(rocksDb);
        assertThat(Files.getLastModifiedTime(rocksDb))
                .as("reused, not rewritten")
                .isEqualTo(extractedAt);

        long size = Files.size(rocksDb);
        Files.write(rocksDb, new byte[4096]); // a torn copy
        try (EdgeProcess edge = EdgeProcess.start(cfg, dir.resolve("run3.log"), jvm)) {
            assertThat(edge.output()).contains("rocksdb=extracted");
            assertThat(Http.get(edge.port, "/alice/hello").headers().firstValue("Cache-Status"))
                    .contains("edge; hit");
            assertThat(edge.terminate()).isEqualTo(143);
        }
        assertThat(Files.size(rocksDb)).isEqualTo(size);
        assertThat(nativeLeftovers(tmp)).isEmpty();
    }

    private Path config(Path store) throws IOException {
        return EdgeProcess.writeConfig(
                dir.resolve("edge.yaml"), origin.getPort(), store, "- {match: \"/{user}/{slug}\", mode: persistent}");
    }

    /** Whatever RocksDB, brotli4j or Netty extracted into the temp directory (anything at all, in fact). */
    private static List<Path> nativeLeftovers(Path tmp) throws IOException {
        try (Stream<Path> s = Files.walk(tmp)) {
            return s.filter(p -> !p.equals(tmp)).toList();
        }
    }

    private static Path onlyRocksDbCopy(Path store) throws IOException {
        try (Stream<Path> s = Files.walk(store.resolve(".native"))) {
            List<Path> copies = s.filter(p -> p.getFileName().toString().startsWith("librocksdbjni"))
                    .toList();
            assertThat(copies).hasSize(1);
            return copies.get(0);
        }
    }
}
