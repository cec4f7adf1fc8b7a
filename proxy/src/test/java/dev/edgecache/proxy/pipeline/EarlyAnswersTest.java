package dev.edgecache.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The aggregator's own answers (100 Continue, 413, 417) in the order of the requests (RFC 9112 §9.3.2). */
class EarlyAnswersTest {
    private final EarlyAnswers earlyAnswers = new EarlyAnswers();
    private final List<Throwable> caught = new ArrayList<>();
    private final EmbeddedChannel ch =
            new EmbeddedChannel(earlyAnswers, earlyAnswers.aggregator(16), new ChannelInboundHandlerAdapter() {
                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    caught.add(cause); // e.g. the aggregator's on a close while a body was still due
                }
            });

    private static FullHttpRequest get(String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }

    private static HttpRequest postHead(String expect, int length) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/b");
        r.headers().set("Expect", expect).set("Content-Length", length);
        return r;
    }

    private static DefaultFullHttpResponse ok() {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    }

    private HttpResponseStatus nextStatus() {
        Object out = ch.readOutbound();
        assertThat(out).isInstanceOf(HttpResponse.class);
        HttpResponseStatus status = ((HttpResponse) out).status();
        ReferenceCountUtil.release(out);
        return status;
    }

    @Test
    void aContinueWaitsForTheResponseAheadAndTheBodyThenArrives() {
        ch.writeInbound(get("/a"), postHead("100-continue", 5));
        assertThat(ch.<Object>readOutbound()).as("100 Continue held").isNull();

        ch.writeOutbound(ok()); // the answer to /a
        assertThat(nextStatus()).isEqualTo(HttpResponseStatus.OK);
        assertThat(nextStatus()).isEqualTo(HttpResponseStatus.CONTINUE);

        ch.writeInbound(new DefaultLastHttpContent(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII)));
        FullHttpRequest first = ch.readInbound();
        FullHttpRequest second = ch.readInbound();
        assertThat(first.uri()).isEqualTo("/a");
        assertThat(second.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        first.release();
        second.release();
        assertThat(ch.finish()).isFalse();
        assertThat(caught).isEmpty();
    }

    @Test
    void aRefusalWaitsUntilEveryResponseAheadIsWrittenInFull() {
        ch.writeInbound(get("/a"), get("/b"), postHead("100-continue", 1000)); // over the 16-byte limit: 413
        ch.writeOutbound(ok());
        ch.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK)); // /b, streamed
        assertThat(nextStatus()).isEqualTo(HttpResponseStatus.OK);
        assertThat(nextStatus()).isEqualTo(HttpResponseStatus.OK);
        assertThat(ch.<Object>readOutbound())
                .as("413 held until /b's last content")
                .isNull();

        ch.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(ch.<Object>readOutbound()).isInstanceOf(LastHttpContent.class);
        assertThat(nextStatus()).isEqualTo(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
        ch.finishAndReleaseAll();
    }

    @Test
    void withNothingOwedAnEarlyAnswerGoesOutAtOnce() {
        ch.writeInbound(postHead("something-else", 5));
        assertThat(nextStatus()).isEqualTo(HttpResponseStatus.EXPECTATION_FAILED);

        ch.writeInbound(get("/a"));
        ch.<FullHttpRequest>readInbound().release();
        ch.writeOutbound(ok());
        assertThat(nextStatus()).isEqualTo(HttpResponseStatus.OK);
        ch.finishAndReleaseAll();
    }

    @Test
    void anAnswerStillHeldWhenTheConnectionClosesIsDroppedAndItsWriteFails() {
        ch.writeInbound(get("/a"), postHead("100-continue", 5));
        assertThat(ch.close().isSuccess()).isTrue();
        assertThat(ch.<Object>readOutbound()).isNull();
        assertThat(caught)
                .as("the aggregator hears that its write failed")
                .anyMatch(ClosedChannelException.class::isInstance);
        ch.finishAndReleaseAll();
    }
}
