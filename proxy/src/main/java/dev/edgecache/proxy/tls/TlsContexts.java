package dev.edgecache.proxy.tls;

import dev.edgecache.common.config.AdminTlsConfig;
import dev.edgecache.common.config.ConfigException;
import dev.edgecache.common.config.TlsConfig;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * The SSL contexts of the TLS reader port (issue 13): one per configured certificate, and the SNI mapping from a
 * requested host name to one of them ({@link #map(String)}; no name or no match gets the first certificate).
 * Every context offers TLS 1.3 and 1.2 only, the AEAD cipher suites of RFC 9113 §9.2.2 ({@link
 * Http2SecurityUtil#CIPHERS}: no CBC, no RSA key exchange) and ALPN {@code h2} (when enabled) then {@code
 * http/1.1}. The provider is BoringSSL through netty-tcnative when it loads and supports ALPN, else the JDK's;
 * {@link #provider()} says which, for the start-up log.
 *
 * <p>Thread-safe and immutable; {@link #map(String)} is called by each connection's {@code SniHandler} on its event
 * loop. Holds no resources that need closing (non-reference-counted contexts).
 */
public final class TlsContexts implements Mapping<String, SslContext> {
    /** The protocols offered: TLS 1.0 and 1.1 are refused (RFC 8996). */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** The configuration key of the certificate list, e.g. {@code tls.certificates}, for messages. */
    private final String key;

    private final SslProvider provider;
    private final List<SiteCertificate> certificates;
    private final Mapping<String, SslContext> sni;
    private final List<String> alpn;

    private TlsContexts(
            String key,
            SslProvider provider,
            List<SiteCertificate> certificates,
            Mapping<String, SslContext> sni,
            List<String> alpn) {
        this.key = key;
        this.provider = provider;
        this.certificates = List.copyOf(certificates);
        this.sni = sni;
        this.alpn = List.copyOf(alpn);
    }

    /** BoringSSL (netty-tcnative) when it loads here and can do ALPN, else the JDK's provider. */
    public static SslProvider bestProvider() {
        return OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL)
                ? SslProvider.OPENSSL
                : SslProvider.JDK;
    }

    /**
     * Reads and checks every certificate of {@code config} and builds their contexts with {@link #bestProvider()}.
     *
     * @throws ConfigException naming the key and file of the first certificate that cannot be used
     */
    public static TlsContexts load(TlsConfig config, InstantSource clock) {
        return load(config, clock, bestProvider());
    }

    /** Same, with the given provider (tests compare both). */
    public static TlsContexts load(TlsConfig config, InstantSource clock, SslProvider provider) {
        List<String> alpn = config.http2()
                ? List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)
                : List.of(ApplicationProtocolNames.HTTP_1_1);
        return load("tls.certificates", config.certificates(), alpn, clock, provider);
    }

    /**
     * The admin port's contexts ({@code admin.tls}, issue 13): the same checks, protocols and cipher suites as the
     * reader port's, ALPN {@code http/1.1} only (the admin port speaks HTTP/1.1), with {@link #bestProvider()}.
     *
     * @throws ConfigException naming the key ({@code admin.tls.certificates[i]}) and file of a certificate that
     *     cannot be used
     */
    public static TlsContexts forAdmin(AdminTlsConfig config, InstantSource clock) {
        return load(
                "admin.tls.certificates",
                config.certificates(),
                List.of(ApplicationProtocolNames.HTTP_1_1),
                clock,
                bestProvider());
    }

    private static TlsContexts load(
            String key,
            List<TlsConfig.CertificateFiles> files,
            List<String> alpn,
            InstantSource clock,
            SslProvider provider) {
        List<SiteCertificate> sites = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            sites.add(SiteCertificate.load(files.get(i), key + "[" + i + "]", clock));
        }
        List<SslContext> contexts = new ArrayList<>();
        for (SiteCertificate site : sites) contexts.add(context(site, provider, alpn));
        DomainWildcardMappingBuilder<SslContext> mapping = new DomainWildcardMappingBuilder<>(contexts.get(0));
        Set<String> mapped = new HashSet<>();
        for (int i = 0; i < sites.size(); i++) {
            for (String name : sites.get(i).names()) {
                if (mapped.add(name)) mapping.add(name, contexts.get(i)); // an earlier certificate keeps a shared name
            }
        }
        return new TlsContexts(key, provider, sites, mapping.build(), alpn);
    }

    private static SslContext context(SiteCertificate site, SslProvider provider, List<String> alpn) {
        try {
            return SslContextBuilder.forServer(site.privateKey(), site.chain())
                    .sslProvider(provider)
                    .protocols(PROTOCOLS)
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            alpn))
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException(
                    site.key() + ": " + site.certFile() + ": the TLS provider refused the certificate: "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * Reads and checks {@code files} (a changed {@code certificates} list, or the same files rewritten) and builds
     * contexts with this set's key, provider and ALPN protocols: what a reload (file change or {@code POST /reload})
     * makes. This set is not changed.
     *
     * @throws ConfigException naming the key and file of the first certificate that cannot be used
     */
    public TlsContexts reload(List<TlsConfig.CertificateFiles> files, InstantSource clock) {
        return load(key, files, alpn, clock, provider);
    }

    /**
     * Whether {@code other} holds the same certificates (chains and keys, in the same order, from the same files):
     * a reload that would change nothing for new connections.
     */
    public boolean sameCertificatesAs(TlsContexts other) {
        if (other.certificates.size() != certificates.size()) return false;
        for (int i = 0; i < certificates.size(); i++) {
            SiteCertificate a = certificates.get(i);
            SiteCertificate b = other.certificates.get(i);
            if (!a.certFile().equals(b.certFile())
                    || !a.chain().equals(b.chain()) // X509Certificate equality compares the encoded form
                    || !Arrays.equals(
                            a.privateKey().getEncoded(), b.privateKey().getEncoded())) {
                return false;
            }
        }
        return true;
    }

    /** The configuration key of the certificate list ({@code tls.certificates} or {@code admin.tls.certificates}). */
    public String key() {
        return key;
    }

    /** The context for an SNI host name; null or unknown names get the first certificate's. */
    @Override
    public SslContext map(@Nullable String hostName) {
        return sni.map(hostName == null ? null : hostName.toLowerCase(Locale.ROOT));
    }

    public SslProvider provider() {
        return provider;
    }

    /** What the log says of the provider, e.g. {@code openssl (BoringSSL)} or {@code jdk}. */
    public String providerDescription() {
        return provider == SslProvider.OPENSSL
                ? "openssl (" + OpenSsl.versionString() + ")"
                : "jdk (" + Runtime.version() + ")";
    }

    public List<SiteCertificate> certificates() {
        return certificates;
    }

    /** ALPN protocols offered, in order of preference. */
    public List<String> alpn() {
        return alpn;
    }
}
