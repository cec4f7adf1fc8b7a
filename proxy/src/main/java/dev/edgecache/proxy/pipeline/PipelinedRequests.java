package dev.edgecache.proxy.pipeline;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Gives the request handler one HTTP/1.1 request at a time, in order, when it asks with {@code read()} (reader
 * connections run with auto-read off), and keeps the socket readable whenever no request waits here.
 *
 * <p>In place of Netty's {@code FlowControlHandler}, which stops reading whenever the handler has not asked for a
 * request. Then every request answered off the event loop (a disk hit, a miss, a pass) took the socket out of epoll's
 * read set at the end of its read and put it back with its response: two {@code epoll_ctl} calls per such request, 2
 * of a disk hit's 6 system calls (issue 12, {@code bench/RESULTS.md} §21). Reading on while a request is answered
 * costs nothing when no more bytes come, as with every client that does not pipeline.
 *
 * <p>Memory stays bounded as with {@code FlowControlHandler}: the socket is read only while nothing waits here, so what
 * waits for its turn (pipelined requests, RFC 9112 §9.3.2) is at most what one read brings. Requests dropped by a
 * closed connection are released. Event loop only.
 */
final class PipelinedRequests extends ChannelDuplexHandler {
    private final ArrayDeque<Object> waiting = new ArrayDeque<>(2);
    /** The handler asked for a request and has not been given one yet. */
    private boolean asked;
    /** Guards {@link #deliver} against itself: a handler answering at once asks again from inside it. */
    private boolean delivering;

    /** The request handler asks for the next request. */
    @Override
    public void read(ChannelHandlerContext ctx) {
        asked = true;
        deliver(ctx);
        if (waiting.isEmpty()) ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        waiting.add(msg);
        deliver(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (waiting.isEmpty()) ctx.read(); // read on, also while a request is being answered
        ctx.fireChannelReadComplete();
    }

    /** Hands over waiting requests, one per ask; a loop, not a recursion, however many were pipelined. */
    private void deliver(ChannelHandlerContext ctx) {
        if (delivering) return;
        delivering = true;
        try {
            while (asked && !waiting.isEmpty()) {
                asked = false;
                ctx.fireChannelRead(waiting.poll());
            }
        } finally {
            delivering = false;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseWaiting();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseWaiting();
    }

    private void releaseWaiting() {
        for (Object msg; (msg = waiting.poll()) != null; ) ReferenceCountUtil.release(msg);
    }

    /** Requests waiting for their turn; for tests. */
    int waiting() {
        return waiting.size();
    }
}
