package dev.edgecache.bench;

import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.internal.Buffers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A memory-tier hit through the real reader pipeline: request bytes in, encoded response bytes out, on an
 * {@link EmbeddedSocketChannel} initialised by {@code ClientChannelInitializer} (idle, codec, keep-alive,
 * aggregator, pipelined requests, validator, handler) over a real {@code PageCache} (Caffeine over RocksDB, pages
 * stored with {@code TieredStore.put}). The channel has auto-read off, as in {@code EdgeServer}; no explicit
 * {@code read()} is needed because the handler issues its own reads and {@code writeInbound} pushes bytes
 * regardless, so {@code PipelinedRequests} passes on exactly the one request the handler asked for.
 *
 * <p>{@code bareCodec} is the baseline: the same request bytes and the same response bytes through a bare
 * {@code HttpServerCodec} and a handler that answers from a prepared page ({@link BareResponder}).
 * {@code edgeHit / bareCodec} is the cache's overhead.
 *
 * <p>Both channels end in {@link TransportCopy}, which does to each written buffer what the epoll (and NIO) transport
 * does before the socket write: a buffer without a memory address that is not direct is copied into a new direct
 * buffer. An embedded channel would otherwise hide the body copy a hit from a heap array costs on a real socket,
 * the copy issue 12 removes by keeping memory-tier bodies in direct memory. Run with {@code -prof gc} for bytes
 * allocated per op
 * ({@code gc.alloc.rate.norm}). It warms up for 5 s, not 2: the pipeline is deep, and with 2 s the first
 * measured iterations of {@code edgeHit} were still several times slower than the steady state.
 *
 * <pre>
 * $JAVA_HOME/bin/java --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
 *     -jar bench/target/benchmarks.jar PipelineHitBenchmark -f1 -foe true -wi 5 -w 1s -i 5 -r 1s -prof gc \
 *     -jvmArgsAppend "--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"})
public class PipelineHitBenchmark {
    /** Other pages in the cache, so the hit is one lookup among many rather than in a one-entry map. */
    static final int OTHER_PAGES = 1_000;

    @Param({"1024", "16384", "131072"})
    int size;

    private EdgeStack edge;
    private EmbeddedSocketChannel edgeChannel;
    private EmbeddedChannel bareChannel;
    private ByteBuf request;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        edge = new EdgeStack();
        String target = "/pages/" + size + ".html";
        StoredEntry page = Pages.entry(size, size);
        edge.store.put(Pages.key(target), page); // disk, then memory: the state right after a stored miss
        for (int i = 0; i < OTHER_PAGES; i++) edge.store.put(Pages.key("/p/" + i), Pages.entry(4096, i));
        edgeChannel = edge.connect();
        edgeChannel.pipeline().addFirst(new TransportCopy());
        bareChannel = new EmbeddedChannel(new TransportCopy(), new HttpServerCodec(), new BareResponder(page));
        bareChannel.config().setAllocator(Buffers.ALLOCATOR); // the edge's allocator, so only the pipeline differs
        // what wrk sends, in a direct buffer as a socket read would fill
        byte[] get = ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:18640\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        request = Unpooled.directBuffer(get.length).writeBytes(get);
        check("edge", edgeChannel, true);
        check("bare", bareChannel, false);
    }

    @Benchmark
    public long edgeHit() {
        edgeChannel.writeInbound(request.retainedDuplicate());
        return drain(edgeChannel);
    }

    @Benchmark
    public long bareCodec() {
        bareChannel.writeInbound(request.retainedDuplicate());
        return drain(bareChannel);
    }

    /**
     * What {@code AbstractEpollChannel.filterOutboundMessage} does to a {@link ByteBuf} before writing it: one the
     * kernel cannot be handed directly (no memory address, not direct) is copied into a direct buffer from the
     * channel's allocator, and the original released. Outbound, first in the pipeline: it sees the encoder's output.
     */
    static final class TransportCopy extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            // UnixChannelUtil.isBufferCopyNeededForWrite, minus its IOV_MAX test (which needs the native library)
            if (msg instanceof ByteBuf buf && !buf.hasMemoryAddress() && !buf.isDirect()) {
                int length = buf.readableBytes();
                ByteBuf direct = ctx.alloc().directBuffer(length);
                direct.writeBytes(buf, buf.readerIndex(), length);
                buf.release();
                msg = direct;
            }
            ctx.write(msg, promise);
        }
    }

    /** Reads and releases every encoded buffer the pipeline wrote; returns the bytes "sent". */
    private static long drain(EmbeddedChannel ch) {
        long bytes = 0;
        for (Object out; (out = ch.readOutbound()) != null; ) {
            if (out instanceof ByteBuf b) bytes += b.readableBytes();
            ReferenceCountUtil.release(out);
        }
        return bytes;
    }

    /** Fails the trial unless one request gives a complete 200 (and, for the edge, a memory hit). */
    private void check(String name, EmbeddedChannel ch, boolean mustBeHit) {
        ch.writeInbound(request.retainedDuplicate());
        StringBuilder text = new StringBuilder();
        for (Object out; (out = ch.readOutbound()) != null; ) {
            text.append(((ByteBuf) out).toString(StandardCharsets.ISO_8859_1));
            ReferenceCountUtil.release(out);
        }
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text.toString() : text.substring(0, end);
        boolean ok = head.startsWith("HTTP/1.1 200 ")
                && text.length() == end + 4 + size
                && (!mustBeHit || head.toLowerCase(Locale.ROOT).contains("cache-status: edge; hit"));
        if (!ok || !ch.isActive()) throw new IllegalStateException(name + " did not answer a hit: " + head);
        System.out.printf("%n%s: %d header bytes + %d body bytes%n", name, end + 4, size);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (edgeChannel != null) edgeChannel.finishAndClose();
        if (bareChannel != null) bareChannel.finishAndReleaseAll();
        if (request != null) request.release();
        if (edge != null) edge.close();
    }
}
