package dev.edgecache.common.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code admin.tls:} section (issue 13): when present, the admin port speaks HTTPS only (TLS 1.2 and 1.3,
 * HTTP/1.1), so that the bearer token and purge calls cross the network encrypted. The certificates have the shape
 * of the reader's {@code tls.certificates} (PEM chain and PKCS#8 key per entry, SNI picks by name, the first is the
 * default) and are checked the same way: files readable here, then parse, expiry and key match when the edge starts.
 *
 * @param certificates PEM chain and key per name; at least one
 */
public record AdminTlsConfig(@Nullable List<TlsConfig.CertificateFiles> certificates) {
    public AdminTlsConfig {
        require(
                certificates != null && !certificates.isEmpty(),
                "certificates",
                "admin.tls needs at least one certificate (admin.tls.certificates: [{cert: FILE, key: FILE}])");
        certificates = List.copyOf(Objects.requireNonNull(certificates));
    }

    @Override
    public List<TlsConfig.CertificateFiles> certificates() {
        return Objects.requireNonNull(certificates); // checked in the constructor
    }
}
