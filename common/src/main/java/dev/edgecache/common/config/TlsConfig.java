package dev.edgecache.common.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
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
 * @param hsts the {@code Strict-Transport-Security} value added to every answer on the TLS port (RFC 6797), never on
 *     plain HTTP and never stored with a page: {@code max-age=N} with optional {@code ; includeSubDomains} and
 *     {@code ; preload}, or a duration ({@code 365d} becomes {@code max-age=31536000}); absent or {@code off}: no
 *     header (default). The accessor gives the normalised header value, or null
 * @param redirectPlain answer {@code GET} and {@code HEAD} on the plain HTTP/1.1 reader port with {@code 308} to
 *     the same host, path and query on the TLS port (default false); see {@code PlainRedirect} for what is left alone
 */
public record TlsConfig(
        @Nullable HostPort listen,
        @Nullable List<CertificateFiles> certificates,
        @Nullable Boolean http2,
        @Nullable Boolean http3,
        @Nullable Integer http2MaxConcurrentStreams,
        @Nullable Boolean h2c,
        @Nullable String hsts,
        @Nullable Boolean redirectPlain) {
    public static final HostPort DEFAULT_LISTEN = HostPort.parse("127.0.0.1:8443");
    public static final int DEFAULT_HTTP2_MAX_CONCURRENT_STREAMS = 100;
    private static final Pattern HSTS =
            Pattern.compile("max-age=\\d{1,10}(\\s*;\\s*(includeSubDomains|preload))*", Pattern.CASE_INSENSITIVE);

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
        hsts = hstsValue(hsts);
        if (redirectPlain == null) redirectPlain = false;
    }

    /** A section without {@code hsts} and {@code redirect-plain} (code and tests that build one). */
    public TlsConfig(
            @Nullable HostPort listen,
            @Nullable List<CertificateFiles> certificates,
            @Nullable Boolean http2,
            @Nullable Boolean http3,
            @Nullable Integer http2MaxConcurrentStreams,
            @Nullable Boolean h2c) {
        this(listen, certificates, http2, http3, http2MaxConcurrentStreams, h2c, null, null);
    }

    /** The header value of {@code hsts:} (null when absent or off), or an error naming the key. */
    private static @Nullable String hstsValue(@Nullable String configured) {
        if (configured == null || configured.isBlank() || configured.strip().equalsIgnoreCase("off")) return null;
        String text = configured.strip();
        if (HSTS.matcher(text).matches()) return text;
        try {
            return "max-age=" + Durations.parse(text).toSeconds();
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(
                    "hsts",
                    "hsts must be off, a duration like 365d or a Strict-Transport-Security value like"
                            + " 'max-age=31536000; includeSubDomains', got '" + configured + "'");
        }
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

    @Override
    public Boolean redirectPlain() {
        return Objects.requireNonNull(redirectPlain); // defaulted in the constructor
    }

    /** Same section on another listen address (tests on port 0). */
    public TlsConfig withListen(HostPort other) {
        return new TlsConfig(other, certificates, http2, http3, http2MaxConcurrentStreams, h2c, hsts, redirectPlain);
    }

    /**
     * Same section with other certificates: {@code POST /reload} compares {@code next.withCertificates(running's)}
     * with the running section to tell a certificate change (taken live) from one that needs a restart.
     */
    public TlsConfig withCertificates(List<CertificateFiles> other) {
        return new TlsConfig(listen, other, http2, http3, http2MaxConcurrentStreams, h2c, hsts, redirectPlain);
    }
}
