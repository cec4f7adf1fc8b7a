package dev.edgecache.ctl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Reads a PEM CA bundle ({@code --ca}, issue 13) into an {@link SSLContext} that trusts exactly those certificates,
 * for an admin port whose certificate comes from a private CA. The JDK's own parts only (no Netty), so that
 * {@code ctl} keeps starting fast; host names are still checked by the JDK HTTP client.
 */
final class CaBundle {
    private CaBundle() {}

    /**
     * @throws IOException unreadable, or holding no certificate, with a message fit for one line
     */
    static SSLContext read(Path file) throws IOException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (java.security.cert.CertificateException e) {
            throw new IOException("not a PEM certificate bundle (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new IOException(e.getClass().getSimpleName(), e);
        }
        if (certificates.isEmpty()) throw new IOException("no -----BEGIN CERTIFICATE----- block");
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certificates) trust.setCertificateEntry("ca-" + i++, c);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust its certificates (" + e.getMessage() + ")", e);
        }
    }
}
