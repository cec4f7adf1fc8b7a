package dev.edgecache.common.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The edge's {@code tls:} section (issue 13). Absent, the edge speaks plain HTTP only; present, it also listens for
 * TLS 1.2 and 1.3 readers on {@link #listen()}, with ALPN offering {@code h2} (when {@link #http2()}) and
 * {@code http/1.1}. Only what can be checked without reading certificates is checked here (files present and
 * readable); the certificates themselves (parse, expiry, key match) are checked when the edge starts, with the
 * injected clock, and named by file.
 *
 * @param listen the TLS reader port (default {@code 127.0.0.1:8443})
 * @param certificates PEM chain and key per site; SNI picks the first whose names match the requested host, and
 *     the first certificate is the default (no SNI, or no match). At least one is required
 * @param http2 offer {@code h2} through ALPN (default true)
 * @param http3 HTTP/3 over QUIC (experimental, default false): a UDP listener on the port number of {@link
 *     #listen()}, with the same certificates, advertised to TCP readers with {@code Alt-Svc}. Whether the native QUIC
 *     library loads is checked when the edge starts, not here
 * @param http2MaxConcurrentStreams streams one h2 connection may have open at once (default 100); also the request
 *     streams one HTTP/3 connection may open (QUIC {@code initial_max_streams_bidi}): the same bound on the same
 *     thing, a reader's concurrent requests on one connection
 * @param h2c also accept HTTP/2 with prior knowledge (cleartext, RFC 9113 §3.3) on the plain reader port
 *     (default false)
 */
public record TlsConfig(
        @Nullable HostPort listen,
        @Nullable List<CertificateFiles> certificates,
        @Nullable Boolean http2,
        @Nullable Boolean http3,
        @Nullable Integer http2MaxConcurrentStreams,
        @Nullable Boolean h2c) {
    public static final HostPort DEFAULT_LISTEN = HostPort.parse("127.0.0.1:8443");
    public static final int DEFAULT_HTTP2_MAX_CONCURRENT_STREAMS = 100;

    /**
     * One {@code tls.certificates[]} entry.
     *
     * @param cert PEM file holding the certificate chain, leaf first
     * @param key PEM file holding the unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY})
     */
    public record CertificateFiles(Path cert, Path key) {
        public CertificateFiles {
            require(cert != null, "cert", "cert is required (a PEM certificate chain file)");
            require(key != null, "key", "key is required (a PEM private key file)");
            require(Files.isReadable(cert), "cert", "cannot read certificate file " + cert.toAbsolutePath());
            require(Files.isReadable(key), "key", "cannot read private key file " + key.toAbsolutePath());
        }
    }

    public TlsConfig {
        if (listen == null) listen = DEFAULT_LISTEN;
        require(
                certificates != null && !certificates.isEmpty(),
                "certificates",
                "tls needs at least one certificate (tls.certificates: [{cert: FILE, key: FILE}])");
        certificates = List.copyOf(Objects.requireNonNull(certificates));
        for (int i = 0; i < certificates.size(); i++) {
            require(certificates.get(i) != null, "certificates[" + i + "]", "empty certificate entry");
        }
        if (http2 == null) http2 = true;
        if (http3 == null) http3 = false;
        if (http2MaxConcurrentStreams == null) http2MaxConcurrentStreams = DEFAULT_HTTP2_MAX_CONCURRENT_STREAMS;
        require(
                http2MaxConcurrentStreams >= 1 && http2MaxConcurrentStreams <= 10_000,
                "http2-max-concurrent-streams",
                "http2-max-concurrent-streams must be 1..10000, got " + http2MaxConcurrentStreams);
        if (h2c == null) h2c = false;
    }

    @Override
    public HostPort listen() {
        return Objects.requireNonNull(listen); // defaulted in the constructor
    }

    @Override
    public List<CertificateFiles> certificates() {
        return Objects.requireNonNull(certificates); // checked in the constructor
    }

    @Override
    public Boolean http2() {
        return Objects.requireNonNull(http2); // defaulted in the constructor
    }

    @Override
    public Boolean http3() {
        return Objects.requireNonNull(http3); // defaulted in the constructor
    }

    @Override
    public Integer http2MaxConcurrentStreams() {
        return Objects.requireNonNull(http2MaxConcurrentStreams); // defaulted in the constructor
    }

    @Override
    public Boolean h2c() {
        return Objects.requireNonNull(h2c); // defaulted in the constructor
    }

    /** Same section on another listen address (tests on port 0). */
    public TlsConfig withListen(HostPort other) {
        return new TlsConfig(other, certificates, http2, http3, http2MaxConcurrentStreams, h2c);
    }
}
