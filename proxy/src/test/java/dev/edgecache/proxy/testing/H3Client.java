package dev.edgecache.proxy.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A small HTTP/3 client for tests (issue 13): Netty's QUIC client codec trusting only the test CA, one QUIC
 * connection to {@code 127.0.0.1:port} with an SNI name, and one request stream per {@link #send}. Every wait is
 * bounded by {@link #TIMEOUT}. Owns its event loop and UDP socket; {@link #close()} releases them.
 */
// writes and closes whose failure shows as the response future failing or timing out
@SuppressWarnings("FutureReturnValueIgnored")
public final class H3Client implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** A response: status, fields (lower-case names, pseudo-fields left out) and the body bytes. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body) {
        public @Nullable String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private final EventLoopGroup group;
    private final Channel udp;
    private final QuicChannel quic;

    private H3Client(EventLoopGroup group, Channel udp, QuicChannel quic) {
        this.group = group;
        this.udp = udp;
        this.quic = quic;
    }

    /** Connects (handshake done) to the edge's HTTP/3 port, asking for {@code sni}, trusting {@code caFile} only. */
    public static H3Client connect(int port, String sni, Path caFile) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            QuicSslContext ssl = QuicSslContextBuilder.forClient()
                    .trustManager(caFile.toFile())
                    .applicationProtocols("h3")
                    .build();
            Channel udp = new Bootstrap()
                    .group(group)
                    .channel(NioDatagramChannel.class)
                    .handler(Http3.newQuicClientCodecBuilder()
                            .sslEngineProvider(q -> ssl.newEngine(q.alloc(), sni, port))
                            .maxIdleTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .initialMaxData(64 * 1024 * 1024)
                            .initialMaxStreamDataBidirectionalLocal(16 * 1024 * 1024)
                            .build())
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .sync()
                    .channel();
            QuicChannel quic = QuicChannel.newBootstrap(udp)
                    .handler(new Http3ClientConnectionHandler())
                    .remoteAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                    .connect()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new H3Client(group, udp, quic);
        } catch (Exception | Error e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    public Response get(String authority, String path, String... headers) throws Exception {
        return send("GET", authority, path, null, headers);
    }

    /**
     * One request on a new stream; {@code headers} are name, value pairs. Waits for the whole response.
     *
     * @param body null for none (the request ends with its HEADERS frame)
     */
    public Response send(String method, String authority, String path, byte @Nullable [] body, String... headers)
            throws Exception {
        return start(method, authority, path, body, headers).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Opens the stream and sends the request; the future completes with the whole response. */
    public CompletableFuture<Response> start(
            String method, String authority, String path, byte @Nullable [] body, String... headers) throws Exception {
        CompletableFuture<Response> done = new CompletableFuture<>();
        QuicStreamChannel stream =
                Http3.newRequestStream(quic, new Collector(done)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Http3HeadersFrame head = new DefaultHttp3HeadersFrame();
        head.headers().method(method).path(path).authority(authority).scheme("https");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            head.headers().add(headers[i].toLowerCase(Locale.ROOT), headers[i + 1]);
        }
        if (body == null) {
            stream.writeAndFlush(head).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        } else {
            stream.write(head);
            stream.writeAndFlush(new DefaultHttp3DataFrame(Unpooled.wrappedBuffer(body)))
                    .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        }
        return done;
    }

    /** The certificate the edge presented. */
    public X509Certificate peerCertificate() throws Exception {
        return (X509Certificate) quic.sslEngine().getSession().getPeerCertificates()[0];
    }

    /** Request streams the edge lets this connection open now (its MAX_STREAMS credit); read on the event loop. */
    public long allowedStreams() throws Exception {
        return quic.eventLoop()
                .submit(() -> quic.peerAllowedStreams(QuicStreamType.BIDIRECTIONAL))
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The QUIC transport parameters the edge sent. */
    public io.netty.handler.codec.quic.QuicTransportParameters peerParameters() {
        return quic.peerTransportParameters();
    }

    @Override
    public void close() {
        quic.close().awaitUninterruptibly(TIMEOUT.toMillis());
        udp.close().awaitUninterruptibly(TIMEOUT.toMillis());
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(TIMEOUT.toMillis());
    }

    /** Gathers one response's HEADERS (the final one; interim ones are skipped) and DATA frames. */
    private static final class Collector extends Http3RequestStreamInboundHandler {
        private final CompletableFuture<Response> done;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private int status;
        private final Map<String, List<String>> headers = new java.util.LinkedHashMap<>();

        Collector(CompletableFuture<Response> done) {
            this.done = done;
        }

        @Override
        protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
            try {
                CharSequence s = frame.headers().status();
                if (s != null) {
                    int code = Integer.parseInt(s.toString());
                    if (code < 200) return; // interim
                    status = code;
                }
                for (Map.Entry<CharSequence, CharSequence> h : frame.headers()) {
                    String name = h.getKey().toString();
                    if (name.startsWith(":")) continue;
                    headers.computeIfAbsent(name, n -> new ArrayList<>())
                            .add(h.getValue().toString());
                }
            } finally {
                ReferenceCountUtil.release(frame);
            }
        }

        @Override
        protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
            try {
                body.writeBytes(ByteBufUtil.getBytes(frame.content()));
            } finally {
                ReferenceCountUtil.release(frame);
            }
        }

        @Override
        protected void channelInputClosed(ChannelHandlerContext ctx) {
            done.complete(new Response(status, headers, body.toByteArray()));
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            done.completeExceptionally(new java.io.IOException("stream closed before its end"));
            super.channelInactive(ctx);
        }
    }
}
