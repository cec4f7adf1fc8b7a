package dev.edgecache.proxy.pipeline;

import dev.edgecache.proxy.metrics.Outcome;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;

/** Where an answer goes: the connection's handler, which records it, writes it and reads the next request. */
interface Responder {
    /** Must be called on {@code ctx}'s event loop. */
    void respond(ChannelHandlerContext ctx, ClientRequest cr, FullHttpResponse response, Outcome outcome);

    /** Answers 502 or 504 for an origin that failed; on {@code ctx}'s event loop. */
    void originFailed(ChannelHandlerContext ctx, ClientRequest cr, Throwable error);
}
