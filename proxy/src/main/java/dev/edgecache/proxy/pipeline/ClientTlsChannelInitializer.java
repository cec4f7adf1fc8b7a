package dev.edgecache.proxy.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS reader port's pipeline (issue 13): the same connection guards as the plain port, then SNI (the
 * certificate whose names match the requested host, else the first), the TLS handshake, and ALPN, which picks
 * HTTP/2 ({@link ClientHttp2}) or HTTP/1.1 (the plain port's handlers, {@link
 * ClientChannelInitializer#addHttp1}); a client that offers no ALPN gets HTTP/1.1. Either way every request reaches
 * the same {@link ClientRequestHandler}, which hears that the connection is TLS ({@code X-Forwarded-Proto: https}).
 * With {@code tls.http3} on, {@link AltSvc} advertises the HTTP/3 port on every response of either protocol.
 *
 * <p>The TLS port's channels start with auto-read on, so the handshake reads by itself; the HTTP/1.1 handlers turn
 * it off (they read one request at a time, as on the plain port), and HTTP/2 keeps it on (h2 flow control bounds
 * what a peer may send). Shared across connections.
 */
public final class ClientTlsChannelInitializer extends ChannelInitializer<SocketChannel> {
    private static final Logger log = LoggerFactory.getLogger(ClientTlsChannelInitializer.class);
    /** Longest ClientHello read to find the SNI name (Netty's own default is 16 MiB). */
    static final int MAX_CLIENT_HELLO = 16 * 1024;
    /** How long a client has to send its ClientHello and finish the handshake (slowloris on the handshake). */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final ClientChannelInitializer http;
    private final Mapping<String, SslContext> contexts;
    private final ClientHttp2 http2;
    private final @Nullable AltSvc altSvc;

    /**
     * @param http the plain port's initializer, whose handlers the TLS port reuses
     * @param contexts the SSL context for each SNI host name (the current certificates, which may be reloaded)
     * @param maxConcurrentStreams {@code tls.http2-max-concurrent-streams}
     */
    public ClientTlsChannelInitializer(
            ClientChannelInitializer http, Mapping<String, SslContext> contexts, int maxConcurrentStreams) {
        this(http, contexts, maxConcurrentStreams, null);
    }

    /**
     * Same, advertising HTTP/3 on every response ({@code tls.http3}).
     *
     * @param altSvc the {@code Alt-Svc} header's source; null when HTTP/3 is off (no header)
     */
    public ClientTlsChannelInitializer(
            ClientChannelInitializer http,
            Mapping<String, SslContext> contexts,
            int maxConcurrentStreams,
            @Nullable AltSvc altSvc) {
        this.http = http;
        this.contexts = contexts;
        this.http2 = new ClientHttp2(http, maxConcurrentStreams);
        this.altSvc = altSvc;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        http.addConnectionGuards(p);
        p.addLast("sni", new SniHandler(contexts, MAX_CLIENT_HELLO, HANDSHAKE_TIMEOUT.toMillis()));
        p.addLast("alpn", new ProtocolChoice());
    }

    /** Adds the handlers of the protocol ALPN chose once the handshake is done; removes itself. */
    private final class ProtocolChoice extends ApplicationProtocolNegotiationHandler {
        ProtocolChoice() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @SuppressWarnings("FutureReturnValueIgnored") // Netty close(): nothing to do when a close fails
        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            Channel ch = ctx.channel();
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                http2.configure(ctx.pipeline(), ch, true);
                if (altSvc != null) ctx.pipeline().addAfter("h2", "altSvc", altSvc);
            } else if (ApplicationProtocolNames.HTTP_1_1.equals(protocol)) {
                ch.config().setAutoRead(false);
                http.addHttp1(ctx.pipeline(), ch, true);
                if (altSvc != null) ctx.pipeline().addBefore("handler", "altSvc", altSvc);
                // the HTTP/1.1 handlers arrive after the connection became active: tell them now, so that the head
                // deadline starts and the request handler asks for the first request, as on the plain port
                ctx.fireChannelActive();
            } else {
                log.debug("client.tls-protocol channel={} protocol={} result=refused", ch.id(), protocol);
                ctx.close();
            }
        }

        @SuppressWarnings("FutureReturnValueIgnored") // Netty close(): nothing to do when a close fails
        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            // scanners, old clients (TLS 1.0/1.1) and plain HTTP on the TLS port: routine, so not worth a WARN
            log.debug(
                    "client.tls-handshake channel={} remote={} result=failed error=\"{}\"",
                    ctx.channel().id(),
                    ctx.channel().remoteAddress(),
                    cause.toString());
            ctx.close();
        }
    }
}
