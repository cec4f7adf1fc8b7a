package dev.edgecache.proxy.pipeline;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ServerConnectionHandler;
import io.netty.handler.codec.http3.Http3Settings;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The reader side of HTTP/3 (issue 13, {@code tls.http3}, experimental): the QUIC server codec for the UDP socket
 * on the TLS port's number, and for each QUIC connection Netty's HTTP/3 connection handler, which gives each
 * request stream its own child channel running the same request handlers as HTTP/1.1 and h2 ({@link
 * ClientChannelInitializer#addHttp3Stream}): one code path for caching decisions.
 *
 * <p>Limits:
 *
 * <ul>
 *   <li>request streams open at once per connection: QUIC {@code initial_max_streams_bidi} = {@code
 *       tls.http2-max-concurrent-streams} (the peer cannot open more; credit is given back as streams end);
 *   <li>header section: {@code SETTINGS_MAX_FIELD_SECTION_SIZE} = {@code limits.max-header-size}, enforced by the
 *       decoder; the QPACK dynamic table is off (no decoder state for a peer to inflate, no blocked streams);
 *   <li>request bodies: {@code limits.max-request-body} through the same aggregator as the other protocols;
 *   <li>idle connections: QUIC's idle timeout, the TCP port's idle timeout;
 *   <li>flow control: {@value #MAX_STREAM_DATA} bytes of credit per stream and {@value #MAX_DATA} per connection
 *       for what readers send (requests are small; quiche extends the credit as the edge reads).
 * </ul>
 *
 * <p>Address validation: no Retry tokens (Netty's default, {@code NoQuicTokenHandler}); quiche's anti-amplification limit (three
 * times what an unvalidated address sent) bounds what a spoofed source can make the edge send. Not applied on
 * HTTP/3 (yet): {@code limits.max-connections-per-client} and {@code limits.request-head-timeout} (a request head
 * is one HEADERS frame; the idle timeout bounds a stalled connection).
 *
 * <p>Thread-safe: holds only configuration and shared collaborators.
 */
public final class ClientHttp3 {
    /** QUIC's idle timeout: the TCP reader ports' idle timeout. */
    public static final Duration IDLE_TIMEOUT = ClientChannelInitializer.IDLE_TIMEOUT;

    static final long MAX_STREAM_DATA = 1024 * 1024;
    static final long MAX_DATA = 16 * 1024 * 1024;

    private final ClientChannelInitializer http;
    private final QuicSslContext ssl;
    private final int maxConcurrentStreams;

    /**
     * @param http the plain port's initializer, whose request handlers every HTTP/3 stream runs
     * @param ssl the QUIC TLS context (SNI, ALPN {@code h3}, the TLS port's certificates)
     * @param maxConcurrentStreams {@code tls.http2-max-concurrent-streams}
     */
    public ClientHttp3(ClientChannelInitializer http, QuicSslContext ssl, int maxConcurrentStreams) {
        this.http = http;
        this.ssl = ssl;
        this.maxConcurrentStreams = maxConcurrentStreams;
    }

    /** A new QUIC server codec: the handler of one UDP socket (not sharable between sockets). */
    public ChannelHandler newServerCodec() {
        return Http3.newQuicServerCodecBuilder()
                .sslContext(ssl)
                .maxIdleTimeout(IDLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .initialMaxData(MAX_DATA)
                .initialMaxStreamDataBidirectionalRemote(MAX_STREAM_DATA)
                .initialMaxStreamDataBidirectionalLocal(MAX_STREAM_DATA)
                .initialMaxStreamsBidirectional(maxConcurrentStreams)
                .tokenHandler(null) // no Retry tokens: see the class comment
                .handler(new ChannelInitializer<QuicChannel>() {
                    @Override
                    protected void initChannel(QuicChannel connection) {
                        connection.pipeline().addLast("h3", newConnectionHandler(connection));
                    }
                })
                .build();
    }

    private Http3ServerConnectionHandler newConnectionHandler(QuicChannel connection) {
        Http3Settings settings = new Http3Settings()
                .maxFieldSectionSize(http.limits().maxHeaderSize().bytes());
        return new Http3ServerConnectionHandler(
                new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel stream) {
                        http.addHttp3Stream(stream.pipeline(), connection.remoteSocketAddress());
                    }
                },
                null,
                null,
                new DefaultHttp3SettingsFrame(settings),
                true);
    }
}
