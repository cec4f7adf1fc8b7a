package dev.edgecache.proxy.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;

/** Counts the reads asked of an embedded channel, first in its pipeline: on a socket each would arm it for reading. */
final class ReadsAsked extends ChannelOutboundHandlerAdapter {
    private int count;

    @Override
    public void read(ChannelHandlerContext ctx) {
        count++;
        ctx.read();
    }

    int count() {
        return count;
    }
}
