package dev.edgecache.proxy.tls;

import dev.edgecache.common.config.ConfigException;
import dev.edgecache.common.config.TlsConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * One site's certificate as read from its PEM files and checked (issue 13): the chain (leaf first), its private
 * key, and the host names SNI matches it by (the leaf's DNS subject alternative names, or its common name when it
 * has none). Plain Java (the JDK's certificate and key factories), so it runs in {@code --check} and in tests
 * without a channel. Immutable.
 *
 * @param key configuration key of the entry, e.g. {@code tls.certificates[0]}, for messages
 * @param certFile where the chain was read from
 * @param chain the certificates, leaf first
 * @param privateKey the leaf's private key
 * @param names lower-case host names (may start with {@code *.}) the leaf is valid for
 */
public record SiteCertificate(
        String key, Path certFile, List<X509Certificate> chain, PrivateKey privateKey, List<String> names) {
    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----", Pattern.DOTALL);
    private static final int SAN_DNS = 2;

    public SiteCertificate {
        chain = List.copyOf(chain);
        names = List.copyOf(names);
    }

    /** The leaf. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /**
     * Reads and checks one {@code tls.certificates[]} entry: both files readable and PEM, the leaf valid at {@code
     * clock}'s instant, and the key the leaf's (a signature made with it verifies with the leaf's public key).
     *
     * @param index the entry's position, for messages
     * @throws ConfigException naming the key and the file, e.g. {@code tls.certificates[0].cert: conf/site.crt:
     *     expired on 2026-01-01T00:00:00Z}
     */
    public static SiteCertificate load(TlsConfig.CertificateFiles files, int index, InstantSource clock) {
        return load(files, "tls.certificates[" + index + "]", clock);
    }

    /**
     * Same, named by {@code key} in messages (e.g. {@code admin.tls.certificates[0]} for the admin port's).
     *
     * @throws ConfigException naming the key and the file
     */
    public static SiteCertificate load(TlsConfig.CertificateFiles files, String key, InstantSource clock) {
        List<X509Certificate> chain = readChain(key + ".cert", files.cert());
        X509Certificate leaf = chain.get(0);
        Instant now = clock.instant();
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw problem(
                    key + ".cert",
                    files.cert(),
                    "certificate expired on " + leaf.getNotAfter().toInstant());
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw problem(
                    key + ".cert",
                    files.cert(),
                    "certificate is not valid before " + leaf.getNotBefore().toInstant());
        }
        PrivateKey privateKey = readKey(key + ".key", files.key(), leaf.getPublicKey());
        if (!matches(privateKey, leaf.getPublicKey())) {
            throw problem(
                    key + ".key", files.key(), "the private key does not match the certificate in " + files.cert());
        }
        return new SiteCertificate(key, files.cert(), chain, privateKey, namesOf(leaf));
    }

    private static List<X509Certificate> readChain(String key, Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] der : pemBlocks(key, file, "CERTIFICATE")) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException e) {
            throw problem(key, file, "not a readable X.509 certificate: " + e.getMessage());
        }
        if (chain.isEmpty()) throw problem(key, file, "no -----BEGIN CERTIFICATE----- block");
        return chain;
    }

    private static PrivateKey readKey(String key, Path file, PublicKey certKey) {
        List<byte[]> blocks = pemBlocks(key, file, "PRIVATE KEY");
        if (blocks.size() != 1) {
            throw problem(
                    key,
                    file,
                    "expected one unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----), found " + blocks.size()
                            + " (convert with: openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW)");
        }
        try {
            return KeyFactory.getInstance(certKey.getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(blocks.get(0)));
        } catch (GeneralSecurityException e) {
            throw problem(
                    key,
                    file,
                    "not a " + certKey.getAlgorithm() + " private key as the certificate's is: " + e.getMessage());
        }
    }

    /** The DER bytes of each {@code type} block; other block types are skipped, except encrypted or PKCS#1 keys. */
    private static List<byte[]> pemBlocks(String key, Path file, String type) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw problem(key, file, "cannot read: " + e);
        }
        List<byte[]> blocks = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            String found = m.group(1);
            if (found.equals(type)) {
                try {
                    blocks.add(Base64.getMimeDecoder().decode(m.group(2)));
                } catch (IllegalArgumentException e) {
                    throw problem(key, file, "bad base64 in a " + type + " block");
                }
            } else if (found.endsWith("PRIVATE KEY")) {
                throw problem(
                        key,
                        file,
                        found + " is not supported: the key must be an unencrypted PKCS#8 PRIVATE KEY (convert with:"
                                + " openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW)");
            }
        }
        return blocks;
    }

    private static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> publicKey.getAlgorithm();
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> "";
        };
        if (algorithm.isEmpty() || algorithm.equals("RSASSA-PSS")) return false;
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** RFC 6125 §6.4.4: the DNS names of subjectAltName; the subject's common name only when there are none. */
    static List<String> namesOf(X509Certificate leaf) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alt : alternatives) {
                    if (alt.size() >= 2 && alt.get(0) instanceof Integer type && type == SAN_DNS) {
                        names.add(String.valueOf(alt.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // unreadable extension: fall back to the common name below
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(String.valueOf(rdn.getValue()).toLowerCase(Locale.ROOT));
                    }
                }
            } catch (InvalidNameException e) {
                // no usable subject: the certificate can still be the default
            }
        }
        return names;
    }

    private static ConfigException problem(String key, Path file, String message) {
        return new ConfigException(key + ": " + file + ": " + message);
    }
}
