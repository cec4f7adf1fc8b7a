package dev.edgecache.proxy.admin;

import dev.edgecache.common.config.AdminConfig;
import dev.edgecache.proxy.internal.Buffers;
import dev.edgecache.proxy.internal.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The token-protected admin port. Owns its own one-thread event loop group, so admin calls are answered even
 * when the reader port is saturated. With {@code admin.tls} (issue 13) it speaks HTTPS only: every connection
 * starts with the TLS handshake (SNI picks the certificate, as on the reader's TLS port), and a plain HTTP request
 * fails that handshake and is closed.
 */
public final class AdminServer implements AutoCloseable {
    private static final int MAX_BODY = 1 << 20;
    /** Longest ClientHello read to find the SNI name (Netty's own default is 16 MiB). */
    private static final int MAX_CLIENT_HELLO = 16 * 1024;
    /** How long a client has to finish the TLS handshake. */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final EventLoopGroup group;
    private final Channel channel;

    private AdminServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** Binds the plain HTTP admin port; blocks until bound. */
    public static AdminServer start(AdminConfig config, Transport transport, AdminRouter router)
            throws InterruptedException {
        return start(config, transport, router, null);
    }

    /**
     * Binds the admin port; blocks until bound.
     *
     * @param tls the SSL context per SNI host name when the port speaks HTTPS ({@code admin.tls}); null for HTTP
     */
    @SuppressWarnings("FutureReturnValueIgnored") // best-effort cleanup, the bind failure is rethrown
    public static AdminServer start(
            AdminConfig config, Transport transport, AdminRouter router, @Nullable Mapping<String, SslContext> tls)
            throws InterruptedException {
        EventLoopGroup group = transport.newGroup(1, "edge-admin");
        try {
            Channel ch = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .childOption(ChannelOption.ALLOCATOR, Buffers.ALLOCATOR)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            if (tls != null) {
                                c.pipeline()
                                        .addLast(
                                                "sni",
                                                new SniHandler(tls, MAX_CLIENT_HELLO, HANDSHAKE_TIMEOUT.toMillis()));
                            }
                            c.pipeline()
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpObjectAggregator(MAX_BODY))
                                    .addLast(new AdminHandler(router));
                        }
                    })
                    .bind(config.listen().toSocketAddress())
                    .sync()
                    .channel();
            return new AdminServer(group, ch);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
