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

/** Issue 13: the {@code tls:} section binds with its defaults, and a bad value names file, line and key. */
class TlsConfigTest {
    @TempDir
    static Path dir;

    private static Path cert;
    private static Path key;
    private final YamlConfigLoader loader = new YamlConfigLoader(Map.<String, String>of()::get);

    @BeforeAll
    static void files() throws IOException {
        cert = Files.writeString(dir.resolve("site.crt"), "pem");
        key = Files.writeString(dir.resolve("site.key"), "pem");
    }

    private EdgeConfig parse(String yaml) {
        return loader.parse(
                "edge.yaml",
                "origin: {url: \"http://127.0.0.1:8081\"}\n"
                        + yaml.replace("CERT", cert.toString()).replace("KEY", key.toString()),
                EdgeConfig.class);
    }

    @Test
    void noTlsSectionIsPlainHttpOnly() {
        assertThat(parse("").tls()).isNull();
    }

    @Test
    void tlsSectionBindsWithDefaults() {
        TlsConfig tls = parse("""
                tls:
                  certificates:
                    - cert: CERT
                      key: KEY
                """).tls();
        assertThat(tls).isNotNull();
        assertThat(tls.listen()).isEqualTo(TlsConfig.DEFAULT_LISTEN);
        assertThat(tls.certificates()).containsExactly(new TlsConfig.CertificateFiles(cert, key));
        assertThat(tls.http2()).isTrue();
        assertThat(tls.http3()).isFalse();
        assertThat(tls.h2c()).isFalse();
        assertThat(tls.http2MaxConcurrentStreams()).isEqualTo(TlsConfig.DEFAULT_HTTP2_MAX_CONCURRENT_STREAMS);

        TlsConfig other = parse("""
                tls:
                  listen: 0.0.0.0:443
                  certificates: [{cert: CERT, key: KEY}, {cert: CERT, key: KEY}]
                  http2: false
                  http3: true
                  http2-max-concurrent-streams: 8
                """).tls();
        assertThat(other).isNotNull();
        assertThat(other.listen()).isEqualTo(HostPort.parse("0.0.0.0:443"));
        assertThat(other.certificates()).hasSize(2);
        assertThat(other.http2()).isFalse();
        assertThat(other.http3())
                .as("HTTP/3 is accepted (experimental; the QUIC library is checked at start)")
                .isTrue();
        assertThat(other.http2MaxConcurrentStreams()).isEqualTo(8);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|",
                "off|",
                "365d|max-age=31536000",
                "max-age=31536000; includeSubDomains|max-age=31536000; includeSubDomains",
                "max-age=600; includeSubDomains; preload|max-age=600; includeSubDomains; preload",
            })
    void hstsIsOffADurationOrAHeaderValue(String configured, String header) {
        TlsConfig tls = parse("tls:\n  certificates: [{cert: CERT, key: KEY}]\n"
                        + (configured.isEmpty() ? "" : "  hsts: '" + configured + "'\n"))
                .tls();
        assertThat(tls).isNotNull();
        assertThat(tls.hsts()).isEqualTo(header);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "tls:\\n  listen: 127.0.0.1:8443|edge.yaml:2:|tls.certificates: tls needs at least one certificate",
                "tls:\\n  certificates: []|edge.yaml:3:|tls.certificates: tls needs at least one certificate",
                "tls:\\n  certificates:\\n    - cert: /nonexistent/site.crt\\n      key: KEY|edge.yaml:4:|tls.certificates[0].cert: cannot read certificate file /nonexistent/site.crt",
                "tls:\\n  certificates:\\n    - {cert: CERT, key: /nonexistent/site.key}|edge.yaml:4:|tls.certificates[0].key: cannot read private key file /nonexistent/site.key",
                "tls:\\n  certificates:\\n    - {cert: CERT}|edge.yaml:4:|tls.certificates[0].key: key is required",
                "tls:\\n  certificates: [{cert: CERT, key: KEY}]\\n  http3: sometimes|edge.yaml:4:|tls.http3:",
                "tls:\\n  certificates: [{cert: CERT, key: KEY}]\\n  http2-max-concurrent-streams: 0|edge.yaml:4:|tls.http2-max-concurrent-streams: http2-max-concurrent-streams must be 1..10000",
                "tls:\\n  certificates: [{cert: CERT, key: KEY}]\\n  ciphers: [RC4]|edge.yaml:4:|tls.ciphers: unknown key 'ciphers'",
                "tls:\\n  certificates: [{cert: CERT, key: KEY}]\\n  hsts: max-age=1y|edge.yaml:4:|tls.hsts: hsts must be off, a duration",
                "tls:\\n  certificates: [{cert: CERT, key: KEY}]\\n  hsts: \"max-age=60; always\"|edge.yaml:4:|tls.hsts: hsts must be off",
            })
    void badTlsSettingsNameFileLineAndKey(String yaml, String location, String message) {
        assertThatThrownBy(() -> parse(yaml.replace("\\n", "\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(location)
                .hasMessageContaining(message);
    }
}
