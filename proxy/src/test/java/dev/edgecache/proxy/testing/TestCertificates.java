package dev.edgecache.proxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A test CA and site certificates made in the test (issue 13) with the {@code openssl} command (Debian's OpenSSL 3,
 * a real process; the JDK's keytool does the same but takes seconds per call on a busy 2-core box): EC P-256 keys,
 * written as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), site certificates signed by the CA with DNS names and the IP
 * name {@code 127.0.0.1}. Every file lives in the given directory.
 */
public final class TestCertificates {
    private final Path dir;
    private final Path caKey;
    private final Path caPem;

    private TestCertificates(Path dir) {
        this.dir = dir;
        this.caKey = dir.resolve("ca.key");
        this.caPem = dir.resolve("ca.crt");
    }

    /** A CA (valid 10 days) in {@code dir}. */
    public static TestCertificates createCa(Path dir) throws IOException, InterruptedException {
        TestCertificates certs = new TestCertificates(dir);
        certs.openssl(
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                certs.caKey.toString(),
                "-out",
                certs.caPem.toString(),
                "-subj",
                "/CN=Edge Test CA",
                "-days",
                "10",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign");
        return certs;
    }

    /** The files of one site certificate: the PEM chain (leaf, CA) and the PKCS#8 PEM key. */
    public record Site(Path cert, Path key) {
        public String yaml() {
            return "{cert: " + cert + ", key: " + key + "}";
        }
    }

    /** A site certificate for {@code names} (DNS names; {@code 127.0.0.1} is always added as an IP name). */
    public Site site(String alias, List<String> names) throws IOException, InterruptedException {
        return site(alias, names, 10);
    }

    /** One whose validity ended before it began (OpenSSL's {@code -days -1}): expired at any instant from now on. */
    public Site expiredSite(String alias, List<String> names) throws IOException, InterruptedException {
        return site(alias, names, -1);
    }

    private Site site(String alias, List<String> names, int days) throws IOException, InterruptedException {
        Path key = dir.resolve(alias + ".key");
        Path request = dir.resolve(alias + ".csr");
        openssl(
                "req",
                "-new",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                request.toString(),
                "-subj",
                "/CN=" + names.get(0));
        StringBuilder san = new StringBuilder("subjectAltName=");
        for (String n : names) san.append("DNS:").append(n).append(',');
        san.append("IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        Path ext = Files.writeString(dir.resolve(alias + ".ext"), san.toString());
        Path leaf = dir.resolve(alias + ".leaf.crt");
        openssl(
                "x509",
                "-req",
                "-in",
                request.toString(),
                "-CA",
                caPem.toString(),
                "-CAkey",
                caKey.toString(),
                "-set_serial",
                String.valueOf(System.nanoTime()),
                "-days",
                String.valueOf(days),
                "-extfile",
                ext.toString(),
                "-out",
                leaf.toString());
        Path cert = dir.resolve(alias + ".crt");
        Files.write(cert, concat(Files.readAllBytes(leaf), Files.readAllBytes(caPem)));
        return new Site(cert, key);
    }

    /** The CA certificate in PEM (for curl's {@code --cacert}). */
    public Path caFile() {
        return caPem;
    }

    /**
     * Debian's curl asking {@code https://host:port/path} over HTTP/2, trusting this CA, {@code host} resolved to
     * 127.0.0.1, the response headers printed before the body.
     */
    public List<String> curlHttp2(String host, int port, String path) {
        return List.of(
                "curl",
                "-sS",
                "--http2",
                "--max-time",
                "20",
                "--cacert",
                caFile().toString(),
                "--resolve",
                host + ":" + port + ":127.0.0.1",
                "-D",
                "-",
                "https://" + host + ":" + port + path);
    }

    /** A client SSL context that trusts only the test CA. */
    public SSLContext clientContext() throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** The leaf of a PEM chain file. */
    public static X509Certificate leafOf(Path chain) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(chain)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        byte[] output;
        try (InputStream in = p.getInputStream()) {
            output = in.readAllBytes();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("openssl timed out: " + command);
        }
        if (p.exitValue() != 0) {
            throw new IOException("openssl failed (" + p.exitValue() + "): " + command + "\n"
                    + new String(output, StandardCharsets.UTF_8));
        }
    }
}
