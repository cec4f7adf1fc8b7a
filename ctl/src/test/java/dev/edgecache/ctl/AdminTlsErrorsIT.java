package dev.edgecache.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: what an operator sees when {@code --ca} is not a CA bundle. The proxy's {@code AdminTlsIT} covers a
 * real HTTPS admin port (trusted, untrusted, no {@code --ca}, {@code https://} against a plain HTTP port).
 */
class AdminTlsErrorsIT {
    @TempDir
    Path dir;

    @Test
    void aCaFileWithoutCertificatesIsAUsageErrorNamingIt() throws IOException {
        Path notPem = Files.writeString(dir.resolve("ca.crt"), "not a certificate\n");
        try (FakeAdminServer admin = FakeAdminServer.start()) {
            CtlRunner.Result r = CtlRunner.withEnv(java.util.Map.of("EDGE_ADMIN_CA", notPem.toString()))
                    .run("deploys", "--admin-url", admin.url().replace("http://", "https://"));

            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err()).startsWith("ctl: cannot read EDGE_ADMIN_CA " + notPem + ": ");
            assertThat(admin.requests()).isEmpty();
        }
    }
}
