package dev.edgecache.bench;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DefaultSocketChannelConfig;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketChannelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.jspecify.annotations.Nullable;

/**
 * An {@link EmbeddedChannel} that is also a {@link SocketChannel}, because {@code ClientChannelInitializer} is a
 * {@code ChannelInitializer<SocketChannel>} and casts the channel it initialises. Created unregistered, so the
 * caller can set options (auto-read off, as {@code EdgeServer} does) and add handlers before {@link #register()}.
 * Shutdown operations are unsupported: the benchmarks never half-close.
 */
final class EmbeddedSocketChannel extends EmbeddedChannel implements SocketChannel {
    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 18640);
    private static final InetSocketAddress REMOTE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);

    // created lazily: EmbeddedChannel's constructor may call config() before this class's fields are assigned
    private @Nullable Socket javaSocket;
    private @Nullable SocketChannelConfig socketConfig;

    EmbeddedSocketChannel() {
        super(DefaultChannelId.newInstance(), false, false); // not registered, no disconnect support
    }

    @Override
    public SocketChannelConfig config() {
        if (socketConfig == null) {
            javaSocket = new Socket();
            socketConfig = new DefaultSocketChannelConfig(this, javaSocket);
        }
        return socketConfig;
    }

    @Override
    public @Nullable ServerSocketChannel parent() {
        return null;
    }

    @Override
    public InetSocketAddress localAddress() {
        return LOCAL;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return REMOTE;
    }

    /** Releases everything still queued and closes the unconnected socket behind the config. */
    void finishAndClose() {
        finishAndReleaseAll();
        try {
            if (javaSocket != null) javaSocket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean isInputShutdown() {
        return false;
    }

    @Override
    public ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        return promise.setFailure(new UnsupportedOperationException("half-close"));
    }

    @Override
    public boolean isOutputShutdown() {
        return false;
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        return promise.setFailure(new UnsupportedOperationException("half-close"));
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public ChannelFuture shutdown() {
        return shutdown(newPromise());
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        return promise.setFailure(new UnsupportedOperationException("half-close"));
    }
}
