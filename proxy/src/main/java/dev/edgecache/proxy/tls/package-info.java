/**
 * TLS on the reader side (issue 13): reading and checking the configured PEM certificates ({@link
 * dev.edgecache.proxy.tls.SiteCertificate}), choosing the TLS provider (BoringSSL through netty-tcnative when it
 * loads, the JDK's otherwise) and building one SSL context per certificate for SNI ({@link
 * dev.edgecache.proxy.tls.TlsContexts}), and the QUIC (HTTP/3) contexts built from the same certificates ({@link
 * dev.edgecache.proxy.tls.QuicTls}). Used by {@code EdgeServer} and the client pipeline.
 */
@NullMarked
package dev.edgecache.proxy.tls;

import org.jspecify.annotations.NullMarked;
