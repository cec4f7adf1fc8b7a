package dev.edgecache.proxy.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;

/**
 * HTTP/2 with prior knowledge on the plain port (RFC 9113 §3.3, issue 13, {@code tls.h2c: true}): reads until the
 * first bytes either are the h2 connection preface ({@code PRI * HTTP/2.0…}) or cannot be, then puts the h2
 * handlers ({@link ClientHttp2}) or the HTTP/1.1 handlers after itself and leaves, handing them the bytes read.
 * An HTTP/1.1 request never starts like the preface (no method is {@code PRI}), so one byte that differs decides.
 *
 * <p>Plain-port channels start with auto-read off: this handler asks for reads until it has decided; the h2
 * handlers then run with auto-read on (h2 flow control bounds what the peer sends), the HTTP/1.1 ones as on a
 * plain port without h2c. Pipeline position: after the connection guards. One per connection; event loop only.
 */
final class ClientPriorKnowledge extends ByteToMessageDecoder {
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final ClientChannelInitializer http;
    private final ClientHttp2 http2;

    ClientPriorKnowledge(ClientChannelInitializer http, ClientHttp2 http2) {
        this.http = http;
        this.http2 = http2;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.read(); // auto-read is off: ask for the first bytes
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
        if (!ByteBufUtil.equals(PREFACE, PREFACE.readerIndex(), in, in.readerIndex(), n)) {
            http.addHttp1(ctx.pipeline(), ctx.channel(), false);
            // the HTTP/1.1 handlers arrive after the connection became active: tell them, as the TLS port does
            ctx.fireChannelActive();
            ctx.pipeline().remove(this); // hands the bytes read so far to the HTTP/1.1 codec
        } else if (n == PREFACE.readableBytes()) {
            ctx.channel().config().setAutoRead(true);
            http2.configure(ctx.pipeline(), ctx.channel(), false);
            ctx.pipeline().remove(this); // hands the preface and what follows to the h2 codec
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        // undecided (fewer bytes than the preface, all matching it): ask for more; once decided this handler is gone
        if (ctx.pipeline().context(this) != null && !ctx.channel().config().isAutoRead()) ctx.read();
        super.channelReadComplete(ctx);
    }
}
