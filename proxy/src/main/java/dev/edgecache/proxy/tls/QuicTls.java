package dev.edgecache.proxy.tls;

import dev.edgecache.common.config.ConfigException;
import io.netty.handler.codec.quic.Quic;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The QUIC (HTTP/3) port's TLS contexts (issue 13, {@code tls.http3}). QUIC's TLS 1.3 runs inside the native QUIC
 * library's own BoringSSL, which needs its own {@link QuicSslContext}s: they are built here from the very
 * certificates and keys the TCP port uses ({@link TlsContexts#certificates()}, read and checked once by {@link
 * SiteCertificate}), with ALPN {@code h3}, and picked per handshake by SNI the same way (the first certificate
 * whose names match, else the first).
 *
 * <p>Certificate reload: the SNI mapping follows {@code source} (the TCP port's live certificates, {@link
 * LiveTls#current()}): the first QUIC handshake after the TCP port took a new certificate set rebuilds the QUIC
 * contexts from it, so new QUIC connections get reloaded certificates like new TCP ones, and open connections keep
 * theirs. A set the QUIC library refuses (it accepted the same set at start, so unlikely) is logged and the previous
 * QUIC contexts stay.
 *
 * <p>Thread-safe: {@link #map(String)} runs on the QUIC event loop during handshakes; rebuilding is serialised.
 */
public final class QuicTls implements Mapping<String, QuicSslContext> {
    private static final Logger log = LoggerFactory.getLogger(QuicTls.class);
    /** RFC 9114 only: the h3 drafts Netty also knows ({@code h3-29} …) are long retired by browsers. */
    public static final String ALPN = "h3";

    /** The contexts built from one certificate set, and the set they were built from. */
    private record Built(TlsContexts from, Mapping<String, QuicSslContext> sni) {}

    private final Supplier<TlsContexts> source;
    private volatile Built built;

    private QuicTls(Supplier<TlsContexts> source, Built built) {
        this.source = source;
        this.built = built;
    }

    /**
     * Checks that the native QUIC library loads and builds the QUIC contexts of {@code source}'s current
     * certificates.
     *
     * @throws ConfigException when the native QUIC library cannot be loaded on this platform ({@code tls.http3} asks
     *     for something this machine cannot do: better to hear it at start), or when it refuses a certificate
     */
    public static QuicTls follow(Supplier<TlsContexts> source) {
        if (!Quic.isAvailable()) {
            Throwable cause = Quic.unavailabilityCause();
            throw new ConfigException(
                    "tls.http3: the native QUIC library (netty-codec-native-quic, linux-x86_64 only) cannot be loaded"
                            + " on this machine ("
                            + System.getProperty("os.name")
                            + "/"
                            + System.getProperty("os.arch")
                            + "): "
                            + cause
                            + "; set tls.http3: false to run without HTTP/3",
                    cause);
        }
        TlsContexts now = source.get();
        return new QuicTls(source, new Built(now, build(now)));
    }

    /** One server context whose SNI callback asks {@link #map(String)}: what the QUIC codec is given. */
    public QuicSslContext serverContext() {
        return QuicSslContextBuilder.buildForServerWithSni(this);
    }

    /** The context for an SNI host name (null or unknown: the first certificate's). */
    @Override
    public QuicSslContext map(@Nullable String hostName) {
        TlsContexts now = source.get();
        Built b = built;
        if (b.from() != now) b = rebuild(now);
        return b.sni().map(hostName == null ? null : hostName.toLowerCase(Locale.ROOT));
    }

    private synchronized Built rebuild(TlsContexts now) {
        Built b = built;
        if (b.from() == now) return b; // another handshake rebuilt it meanwhile
        try {
            b = new Built(now, build(now));
            log.info(
                    "tls.reload protocol=quic result=ok certificates={}",
                    now.certificates().size());
        } catch (RuntimeException e) { // keep serving with the previous contexts; do not retry on every handshake
            b = new Built(now, b.sni());
            log.warn("tls.reload protocol=quic result=refused kept=previous error=\"{}\"", e.getMessage());
        }
        built = b;
        return b;
    }

    private static Mapping<String, QuicSslContext> build(TlsContexts contexts) {
        QuicSslContext first = null;
        DomainWildcardMappingBuilder<QuicSslContext> mapping = null;
        Set<String> mapped = new HashSet<>();
        for (SiteCertificate site : contexts.certificates()) {
            QuicSslContext context = context(site);
            if (mapping == null) {
                first = context;
                mapping = new DomainWildcardMappingBuilder<>(first);
            }
            for (String name : site.names()) {
                if (mapped.add(name)) mapping.add(name, context); // an earlier certificate keeps a shared name
            }
        }
        if (mapping == null) throw new IllegalStateException("no certificates"); // TlsConfig requires one
        return mapping.build();
    }

    private static QuicSslContext context(SiteCertificate site) {
        try {
            return QuicSslContextBuilder.forServer(
                            site.privateKey(), null, site.chain().toArray(X509Certificate[]::new))
                    .applicationProtocols(ALPN)
                    .build();
        } catch (RuntimeException e) {
            throw new ConfigException(
                    site.key() + ": " + site.certFile() + ": the QUIC TLS library refused the certificate: "
                            + e.getMessage(),
                    e);
        }
    }
}
