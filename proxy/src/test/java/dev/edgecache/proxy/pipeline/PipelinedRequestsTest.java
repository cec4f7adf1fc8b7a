package dev.edgecache.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One request at a time, in order, and the socket read on only while nothing waits (issue 12). */
class PipelinedRequestsTest {
    private final ReadsAsked reads = new ReadsAsked();
    private final PipelinedRequests pipelining = new PipelinedRequests();

    private EmbeddedChannel channel(ChannelInboundHandlerAdapter handler) throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(false, false, reads, pipelining, handler);
        ch.config().setAutoRead(false); // as on reader connections
        ch.register();
        return ch;
    }

    private static ByteBuf request(int n) {
        return Unpooled.copiedBuffer("request " + n, StandardCharsets.US_ASCII);
    }

    @Test
    void requestsArePassedOnePerAskInOrderAndTheRestWait() throws Exception {
        Answering handler = new Answering(false);
        EmbeddedChannel ch = channel(handler);
        handler.ask();
        ch.writeInbound(request(1), request(2), request(3));
        assertThat(handler.received).containsExactly("request 1");
        assertThat(pipelining.waiting()).isEqualTo(2);
        int readsWhileWaiting = reads.count();

        handler.ask();
        assertThat(handler.received).containsExactly("request 1", "request 2");
        assertThat(reads.count()).as("nothing read while a request waits").isEqualTo(readsWhileWaiting);

        handler.ask();
        assertThat(handler.received).containsExactly("request 1", "request 2", "request 3");
        assertThat(reads.count()).as("the last one handed over: read on").isGreaterThan(readsWhileWaiting);
        ch.finishAndReleaseAll();
    }

    @Test
    void aReadWithNothingWaitingReadsOnWhileTheRequestIsAnswered() throws Exception {
        Answering handler = new Answering(false);
        EmbeddedChannel ch = channel(handler);
        handler.ask();
        int before = reads.count();
        ch.writeInbound(request(1));
        assertThat(handler.received).containsExactly("request 1");
        assertThat(reads.count()).as("read on at the end of the read").isEqualTo(before + 1);
        ch.finishAndReleaseAll();
    }

    @Test
    void aHandlerAnsweringAtOnceGetsThousandsOfPipelinedRequestsWithoutRecursion() throws Exception {
        Answering handler = new Answering(true);
        EmbeddedChannel ch = channel(handler);
        handler.ask();
        Object[] many = new Object[20_000];
        for (int i = 0; i < many.length; i++) many[i] = request(i);
        ch.writeInbound(many);
        assertThat(handler.received).hasSize(20_000).endsWith("request 19999");
        assertThat(pipelining.waiting()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void requestsStillWaitingWhenTheConnectionClosesAreReleased() throws Exception {
        Answering handler = new Answering(false);
        EmbeddedChannel ch = channel(handler);
        handler.ask();
        ByteBuf second = request(2);
        ch.writeInbound(request(1), second);
        assertThat(second.refCnt()).isEqualTo(1);
        ch.close().syncUninterruptibly();
        assertThat(second.refCnt()).isZero();
    }

    /** A request handler that asks with read(), as ClientRequestHandler does, and optionally answers at once. */
    private static final class Answering extends ChannelInboundHandlerAdapter {
        private final boolean answerAtOnce;
        private final List<String> received = new ArrayList<>();
        private ChannelHandlerContext ctx;

        Answering(boolean answerAtOnce) {
            this.answerAtOnce = answerAtOnce;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        void ask() {
            ctx.read();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            received.add(b.toString(StandardCharsets.US_ASCII));
            b.release();
            if (answerAtOnce) ask();
        }
    }
}
