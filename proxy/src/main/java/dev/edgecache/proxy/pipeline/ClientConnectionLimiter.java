package dev.edgecache.proxy.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a new reader connection at once when its client address already has {@code
 * limits.max-connections-per-client} open (issue 8.3), so that one address cannot take all of the edge's file
 * descriptors and memory with idle or trickling connections. The connection is accepted (the kernel has done that
 * already) and closed without a response: a reader over its cap gets nothing to parse, and answering would cost
 * what the cap is there to save.
 *
 * <p>Pipeline position: first. A refused connection's {@code channelActive} is not passed on, so nothing after
 * this handler reads from it. Not sharable: it remembers which address it counted, and gives the slot back when
 * the connection closes. Event loop only; the {@link ConnectionCounts} it shares are thread-safe.
 */
final class ClientConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientConnectionLimiter.class);

    private final ConnectionCounts counts;
    private final Runnable onRefused;
    private @Nullable InetAddress counted;
    private boolean refused;

    /**
     * @param counts the edge's open connections per address
     * @param onRefused counts a refused connection (a metric)
     */
    ClientConnectionLimiter(ConnectionCounts counts, Runnable onRefused) {
        this.counts = counts;
        this.onRefused = onRefused;
    }

    @SuppressWarnings("FutureReturnValueIgnored") // Netty close(): nothing to do when a close fails
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress isa && isa.getAddress() != null) {
            InetAddress client = isa.getAddress();
            if (!counts.tryAcquire(client)) {
                refused = true;
                onRefused.run();
                log.debug(
                        "client.refused channel={} remote={} reason=per-client",
                        ctx.channel().id(),
                        isa);
                ctx.close();
                return;
            }
            counted = client;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (counted != null) {
            counts.release(counted);
            counted = null;
        }
        if (!refused) ctx.fireChannelInactive(); // the rest of the pipeline never saw it active
    }
}
