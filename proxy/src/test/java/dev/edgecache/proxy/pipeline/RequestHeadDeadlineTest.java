package dev.edgecache.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The head deadline on an EmbeddedChannel around a real codec, with the loop's clock moved by hand: when it fires,
 * what it answers, that keep-alive idleness and completed heads do not trip it, and that every buffer is released.
 */
class RequestHeadDeadlineTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final AtomicInteger timeouts = new AtomicInteger();
    private final List<ByteBuf> sent = new ArrayList<>();
    private final EmbeddedChannel ch = channel();

    private EmbeddedChannel channel() {
        RequestHeadDeadline deadline = new RequestHeadDeadline(TIMEOUT, timeouts::incrementAndGet);
        return new EmbeddedChannel(deadline.firstBytes(), new HttpServerCodec(), deadline);
    }

    @AfterEach
    void everyBufferIsReleased() {
        ch.finishAndReleaseAll();
        assertThat(sent).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }

    private void send(String s) {
        ByteBuf b = Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
        sent.add(b);
        ch.writeInbound(b);
        ch.runPendingTasks();
    }

    private void advance(long seconds) {
        ch.advanceTimeBy(seconds, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
    }

    /** The decoded messages that reached the end of the pipeline, released. */
    private List<Class<?>> decoded() {
        List<Class<?>> out = new ArrayList<>();
        Object m;
        while ((m = ch.readInbound()) != null) {
            out.add(
                    m instanceof HttpRequest
                            ? HttpRequest.class
                            : m instanceof LastHttpContent ? LastHttpContent.class : HttpObject.class);
            ReferenceCountUtil.release(m);
        }
        return out;
    }

    private String written() {
        StringBuilder out = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
    }

    private void respond() {
        DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        ch.writeOutbound(r);
        assertThat(written()).startsWith("HTTP/1.1 200 OK");
    }

    @Test
    void aHeadNotCompleteInTimeGets408AndTheConnectionCloses() {
        advance(4);
        send("GET /a HTTP/1.1\r\nHo"); // the first request's deadline runs from the opening
        advance(5);
        assertThat(ch.isOpen()).isTrue();
        assertThat(written()).isEmpty();
        advance(1);
        String response = written();
        assertThat(response).startsWith("HTTP/1.1 408 Request Timeout\r\n").containsIgnoringCase("connection: close");
        assertThat(ch.isOpen()).isFalse();
        assertThat(timeouts).hasValue(1);
        assertThat(decoded()).isEmpty();
    }

    @Test
    void tricklingBytesDoNotMoveTheDeadline() { // slowloris: one byte a second
        String head = "GET /a HTTP/1.1\r\nHost: x\r\nX-Pad: " + "a".repeat(40);
        for (int i = 0; i < 10 && ch.isOpen(); i++) {
            send(head.substring(i, i + 1));
            advance(1);
        }
        assertThat(ch.isOpen()).isFalse();
        assertThat(written()).startsWith("HTTP/1.1 408");
        assertThat(timeouts).hasValue(1);
    }

    @Test
    void aConnectionThatSendsNothingGets408() {
        advance(10);
        assertThat(written()).startsWith("HTTP/1.1 408");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aCompleteHeadStopsTheDeadlineAndKeepAliveIdlenessIsNotTimed() {
        send("GET /a HTTP/1.1\r\n");
        advance(9);
        send("Host: x\r\n\r\n");
        assertThat(decoded()).containsExactly(HttpRequest.class, LastHttpContent.class);
        respond();
        advance(60); // idle between requests: the idle timeout's business, not this deadline's
        assertThat(ch.isOpen()).isTrue();
        send("GET /b HTTP/1.1\r\nHost"); // the second head's deadline runs from its first byte
        advance(9);
        send(": x\r\n\r\n");
        assertThat(decoded()).containsExactly(HttpRequest.class, LastHttpContent.class);
        respond();
        advance(30);
        assertThat(ch.isOpen()).isTrue();
        assertThat(timeouts).hasValue(0);

        send("GET /c HTTP/1.1\r\n"); // and a third that never finishes
        advance(10);
        assertThat(written()).startsWith("HTTP/1.1 408");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void pipelinedRequestsAndBodiesAreNotHeads() {
        send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab");
        advance(20); // a slow body is not a slow head (the idle timeout and body limits cover it)
        send("cdGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(decoded())
                .containsExactly(
                        HttpRequest.class,
                        HttpObject.class,
                        LastHttpContent.class,
                        HttpRequest.class,
                        LastHttpContent.class);
        respond();
        respond();
        advance(30);
        assertThat(ch.isOpen()).isTrue();
        assertThat(timeouts).hasValue(0);
    }

    @Test
    void whenAResponseIsStillOwedTheConnectionIsJustClosed() {
        send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(decoded()).containsExactly(HttpRequest.class, LastHttpContent.class);
        send("GET /b HTTP/1.1\r\n"); // pipelined, while /a is still being answered
        advance(10);
        assertThat(written()).isEmpty(); // a 408 here would be read as the answer to /a
        assertThat(ch.isOpen()).isFalse();
        assertThat(timeouts).hasValue(1);
    }

    @Test
    void anInterimResponseDoesNotCountAsTheAnswer() {
        send("PUT /a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n");
        assertThat(decoded()).containsExactly(HttpRequest.class);
        ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        assertThat(written()).startsWith("HTTP/1.1 100 Continue");
        send("xGET /b HTTP/1.1\r\n"); // the body's end and a pipelined head in one read
        assertThat(decoded()).containsExactly(LastHttpContent.class);
        send("H"); // the head's deadline runs from the next byte at the latest (until then, the idle timeout)
        advance(10);
        assertThat(written()).isEmpty(); // /a is still owed its answer
        assertThat(ch.isOpen()).isFalse();
    }
}
