package dev.edgecache.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgecache.common.config.ConfigException;
import dev.edgecache.common.config.TlsConfig;
import dev.edgecache.common.testing.FakeClock;
import dev.edgecache.proxy.testing.TestCertificates;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: certificates are read from PEM and checked before the edge binds anything; every refusal names the
 * configuration key and the file. Certificates come from a test CA made with keytool.
 */
class SiteCertificateTest {
    @TempDir
    static Path dir;

    static TestCertificates ca;
    static TestCertificates.Site a;
    static TestCertificates.Site b;
    static TestCertificates.Site expired;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.createCa(dir);
        a = ca.site("a", List.of("a.example", "www.a.example"));
        b = ca.site("b", List.of("b.example", "*.b.example"));
        expired = ca.expiredSite("old", List.of("old.example"));
    }

    private static TlsConfig.CertificateFiles files(TestCertificates.Site site) {
        return new TlsConfig.CertificateFiles(site.cert(), site.key());
    }

    @Test
    void readsChainKeyAndNames() {
        SiteCertificate site = SiteCertificate.load(files(a), 0, InstantSource.system());
        assertThat(site.chain()).hasSize(2); // leaf, CA
        assertThat(site.names()).containsExactly("a.example", "www.a.example");
        assertThat(site.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=a.example");
        assertThat(site.key()).isEqualTo("tls.certificates[0]");
    }

    @Test
    void anExpiredCertificateIsRefusedNamingItsFile() {
        assertThatThrownBy(() -> SiteCertificate.load(files(expired), 2, InstantSource.system()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("tls.certificates[2].cert: " + expired.cert() + ": certificate expired on ");
    }

    @Test
    void validityFollowsTheInjectedClock() {
        Instant notBefore = SiteCertificate.load(files(a), 0, InstantSource.system())
                .leaf()
                .getNotBefore()
                .toInstant();
        assertThatThrownBy(() -> SiteCertificate.load(files(a), 0, new FakeClock(notBefore.minus(Duration.ofHours(1)))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("certificate is not valid before " + notBefore);
        assertThatThrownBy(() -> SiteCertificate.load(files(a), 0, new FakeClock(notBefore.plus(Duration.ofDays(11)))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("certificate expired on");
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() {
        TlsConfig.CertificateFiles mismatched = new TlsConfig.CertificateFiles(a.cert(), b.key());
        assertThatThrownBy(() -> SiteCertificate.load(mismatched, 1, InstantSource.system()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("tls.certificates[1].key: " + b.key()
                        + ": the private key does not match the certificate in " + a.cert());
    }

    @Test
    void unusableFilesAreRefusedWithWhatIsWrong() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.crt"), "hello\n");
        assertThatThrownBy(() -> SiteCertificate.load(
                        new TlsConfig.CertificateFiles(notPem, a.key()), 0, InstantSource.system()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("tls.certificates[0].cert: " + notPem + ": no -----BEGIN CERTIFICATE----- block");
        Path garbled = Files.writeString(
                dir.resolve("garbled.crt"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> SiteCertificate.load(
                        new TlsConfig.CertificateFiles(garbled, a.key()), 0, InstantSource.system()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("tls.certificates[0].cert: " + garbled + ": not a readable X.509 certificate");
        Path pkcs1 = Files.writeString(
                dir.resolve("rsa.key"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> SiteCertificate.load(
                        new TlsConfig.CertificateFiles(a.cert(), pkcs1), 0, InstantSource.system()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls.certificates[0].key: " + pkcs1 + ": RSA PRIVATE KEY is not supported");
        Path wrongType = Files.writeString(dir.resolve("wrong.key"), Files.readString(a.cert()));
        assertThatThrownBy(() -> SiteCertificate.load(
                        new TlsConfig.CertificateFiles(a.cert(), wrongType), 0, InstantSource.system()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected one unencrypted PKCS#8 key");
    }

    @Test
    void sniPicksTheCertificateByNameAndTheFirstIsTheDefault() {
        TlsConfig config = new TlsConfig(null, List.of(files(a), files(b)), null, null, null, null);
        for (SslProvider provider : List.of(SslProvider.JDK, TlsContexts.bestProvider())) {
            TlsContexts contexts = TlsContexts.load(config, InstantSource.system(), provider);
            SslContext first = contexts.map("a.example");
            assertThat(contexts.map("WWW.A.example")).isSameAs(first);
            assertThat(contexts.map("b.example")).isNotSameAs(first);
            assertThat(contexts.map("x.b.example")).isSameAs(contexts.map("b.example"));
            assertThat(contexts.map("elsewhere.example")).isSameAs(first);
            assertThat(contexts.map(null)).isSameAs(first);
        }
    }

    @Test
    void boringSslIsChosenWhenItLoads() { // the netty-tcnative-boringssl-static dependency works on this platform
        assertThat(TlsContexts.bestProvider()).isEqualTo(SslProvider.OPENSSL);
        TlsContexts contexts = TlsContexts.load(
                new TlsConfig(null, List.of(files(a)), null, null, null, null), InstantSource.system());
        assertThat(contexts.providerDescription()).startsWith("openssl (BoringSSL");
        assertThat(contexts.alpn()).containsExactly("h2", "http/1.1");
    }
}
