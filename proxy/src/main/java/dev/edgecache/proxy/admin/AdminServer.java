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
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The token-protected admin port. Owns its own one-thread event loop group, so admin calls are answered even
 * when the reader port is saturated.
 */
public final class AdminServer implements AutoCloseable {
    private static final int MAX_BODY = 1 << 20;

    private final EventLoopGroup group;
    private final Channel channel;

    private AdminServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** Binds the admin port; blocks until bound. */
    @SuppressWarnings("FutureReturnValueIgnored") // best-effort cleanup, the bind failure is rethrown
    public static AdminServer start(AdminConfig config, Transport transport, AdminRouter router)
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
