package dev.edgecache.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 13: {@code admin.tls} binds with the reader's certificate shape, and a bad value names file, line and key. */
class AdminTlsConfigTest {
    @TempDir
    static Path dir;

    private static Path cert;
    private static Path key;
    private final YamlConfigLoader loader = new YamlConfigLoader(Map.<String, String>of()::get);

    @BeforeAll
    static void files() throws IOException {
        cert = Files.writeString(dir.resolve("admin.crt"), "pem");
        key = Files.writeString(dir.resolve("admin.key"), "pem");
    }

    private EdgeConfig parse(String yaml) {
        return loader.parse(
                "edge.yaml",
                "origin: {url: \"http://127.0.0.1:8081\"}\n"
                        + yaml.replace("CERT", cert.toString()).replace("KEY", key.toString()),
                EdgeConfig.class);
    }

    @Test
    void noAdminTlsIsPlainHttp() {
        assertThat(parse("admin: {listen: 127.0.0.1:9090}").admin().tls()).isNull();
        assertThat(parse("").admin().tls()).isNull();
    }

    @Test
    void adminTlsBindsAndSurvivesAnotherListenAddress() {
        EdgeConfig config = parse("""
                admin:
                  listen: 127.0.0.1:9443
                  tls:
                    certificates:
                      - {cert: CERT, key: KEY}
                """);
        AdminTlsConfig tls = config.admin().tls();
        assertThat(tls).isNotNull();
        assertThat(tls.certificates()).containsExactly(new TlsConfig.CertificateFiles(cert, key));
        assertThat(config.withListenAndStore(HostPort.parse("127.0.0.1:0"), HostPort.parse("127.0.0.1:0"), dir)
                        .admin()
                        .tls())
                .isEqualTo(tls);
        assertThat(config.admin().toString()).contains("tls=on");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "admin:\\n  tls: {}|edge.yaml:3:|admin.tls.certificates: admin.tls needs at least one certificate",
                "admin:\\n  tls:\\n    certificates:\\n      - {cert: /nonexistent/a.crt, key: KEY}|edge.yaml:5:|admin.tls.certificates[0].cert: cannot read certificate file /nonexistent/a.crt",
                "admin:\\n  tls:\\n    certificates:\\n      - {cert: CERT}|edge.yaml:5:|admin.tls.certificates[0].key: key is required",
                "admin:\\n  tls:\\n    certificates: [{cert: CERT, key: KEY}]\\n    http2: true|edge.yaml:5:|admin.tls.http2: unknown key 'http2'",
            })
    void badAdminTlsSettingsNameFileLineAndKey(String yaml, String location, String message) {
        assertThatThrownBy(() -> parse(yaml.replace("\\n", "\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(location)
                .hasMessageContaining(message);
    }
}
