package dev.edgecache.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.proxy.accesslog.AccessLog;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.metrics.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The validator on an EmbeddedChannel: what it passes, what it answers, that it closes and leaks nothing. */
class ClientRequestValidatorTest {
    private final EdgeMetrics metrics = new EdgeMetrics(new SimpleMeterRegistry());

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(
                new HttpServerCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(256)
                        .setMaxHeaderSize(1024)
                        .setUseRfc9112TransferEncoding(true)
                        .setStrictLineParsing(true)),
                new HttpObjectAggregator(1024),
                new ClientRequestValidator(
                        new ExchangeRecorder(metrics, AccessLog.off(), () -> "v1", java.time.InstantSource.system())));
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static String responseOf(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
    }

    @Test
    void aValidRequestPassesThroughUntouched() {
        EmbeddedChannel ch = channel();
        ByteBuf in = bytes("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        ch.writeInbound(in);
        FullHttpRequest req = ch.readInbound();
        assertThat(req.uri()).isEqualTo("/a");
        req.release();
        assertThat(ch.isOpen()).isTrue();
        assertThat(in.refCnt()).isZero();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void smugglingShapedFramingIsAnswered400AndTheChannelClosed() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes(
                "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
        Object passed = ch.readInbound();
        assertThat(passed).isNull();
        assertThat(responseOf(ch)).startsWith("HTTP/1.1 400 Bad Request").contains("connection: close");
        assertThat(ch.isOpen()).isFalse();
        assertThat(metrics.requestCount("default", Outcome.CLIENT_BAD_REQUEST)).isEqualTo(1);
        ch.finishAndReleaseAll();
    }

    @Test
    void aMissingHostIs400() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes("GET /a HTTP/1.1\r\n\r\n"));
        assertThat(responseOf(ch)).startsWith("HTTP/1.1 400").contains("missing Host");
        ch.finishAndReleaseAll();
    }

    @Test
    void limitsMapTo414And431() {
        EmbeddedChannel line = channel();
        line.writeInbound(bytes("GET /" + "a".repeat(300) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertThat(responseOf(line)).startsWith("HTTP/1.1 414");
        line.finishAndReleaseAll();

        EmbeddedChannel headers = channel();
        headers.writeInbound(bytes("GET /a HTTP/1.1\r\nHost: x\r\nX: " + "b".repeat(2000) + "\r\n\r\n"));
        assertThat(responseOf(headers)).startsWith("HTTP/1.1 431");
        headers.finishAndReleaseAll();
    }
}
