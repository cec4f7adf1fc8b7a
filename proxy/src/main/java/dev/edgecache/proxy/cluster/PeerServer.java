package dev.edgecache.proxy.cluster;

import dev.edgecache.common.config.HostPort;
import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.store.EntryCodec;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.cache.ClientHop;
import dev.edgecache.proxy.cache.Fetched;
import dev.edgecache.proxy.cache.LiveRoutes;
import dev.edgecache.proxy.cache.OriginRequests;
import dev.edgecache.proxy.cache.PageCache;
import dev.edgecache.proxy.cache.Route;
import dev.edgecache.proxy.cache.Variants;
import dev.edgecache.proxy.deploy.DeployState;
import dev.edgecache.proxy.internal.Buffers;
import dev.edgecache.proxy.origin.OriginRequest;
import dev.edgecache.proxy.store.HotEntry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer-fill port (issue 9): {@code GET /peer/page?deploy=D&key=K&position=P} answers the page that this node,
 * as the key's owner, has stored, or renders it through this node's own {@link PageCache} (collapsed with every
 * concurrent render of the key, local readers' included, and stored here as usual). The answer is the entry in the
 * store's own codec ({@link EntryCodec}), {@code application/octet-stream}, with {@value #STORED} saying whether it
 * was stored (a copy may be stored by the asker) or not (an answer meant for one request: passed on, never stored).
 *
 * <p>A render asked for here is never forwarded to another node ({@link PeerFill#isPeerRequest}): the owner goes to
 * the origin itself, so two nodes that disagree for a moment on the owner cannot send a request around in circles.
 * The answer is refused (409) when the asker's deploy is neither this node's active one nor one it is rendering
 * (issue 9: a cluster-wide deploy's critical pages are filled owner-first too), or the asker has applied cluster-log
 * entries this node has not (a purge the asker saw must not be undone by this node's older copy) and this node does
 * not catch up within {@link #CATCH_UP_WAIT}; the asker then asks the origin itself. With {@code cluster.token} set, every request needs
 * {@code Authorization: Bearer <token>}, compared in constant time.
 */
public final class PeerServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerServer.class);
    public static final String PATH = "/peer/page";
    /** "1": the entry was stored by the owner and may be stored by the asker; "0": pass it on, never store it. */
    public static final String STORED = "X-Edge-Peer-Stored";
    /** The answering node's id. */
    public static final String NODE = "X-Edge-Peer-Node";

    private static final int MAX_REQUEST = 16 * 1024;
    /** How long an owner behind the asker in the cluster log waits to catch up before it refuses. */
    static final Duration CATCH_UP_WAIT = Duration.ofMillis(500);

    private final Channel channel;

    private PeerServer(Channel channel) {
        this.channel = channel;
    }

    /**
     * Binds the peer port on the edge's own event loops; blocks until bound.
     *
     * @param node this node once it has joined the cluster and replayed the log; null before (then 503)
     */
    public static PeerServer start(
            HostPort listen,
            EventLoopGroup boss,
            EventLoopGroup workers,
            Class<? extends ServerChannel> channelClass,
            String token,
            PageCache cache,
            LiveRoutes routes,
            PeerFill fill,
            Supplier<@Nullable ClusterNode> node)
            throws InterruptedException {
        byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        Channel ch = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelClass)
                .childOption(ChannelOption.ALLOCATOR, Buffers.ALLOCATOR)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpServerKeepAliveHandler())
                                .addLast(new HttpObjectAggregator(MAX_REQUEST))
                                .addLast(new Handler(token.isEmpty() ? null : expected, cache, routes, fill, node));
                    }
                })
                .bind(listen.toSocketAddress())
                .sync()
                .channel();
        return new PeerServer(ch);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final byte @Nullable [] expected;
        private final PageCache cache;
        private final LiveRoutes routes;
        private final PeerFill fill;
        private final Supplier<@Nullable ClusterNode> node;

        Handler(
                byte @Nullable [] expected,
                PageCache cache,
                LiveRoutes routes,
                PeerFill fill,
                Supplier<@Nullable ClusterNode> node) {
            this.expected = expected;
            this.cache = cache;
            this.routes = routes;
            this.fill = fill;
            this.node = node;
        }

        @SuppressWarnings("FutureReturnValueIgnored") // the callback answers on the channel
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (expected != null && !authorized(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
                refuse(ctx, HttpResponseStatus.UNAUTHORIZED, "peer token required");
                return;
            }
            ClusterNode me = node.get();
            if (me == null) {
                refuse(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "not caught up with the cluster log yet");
                return;
            }
            QueryStringDecoder q = new QueryStringDecoder(req.uri());
            if (!req.method().equals(HttpMethod.GET) || !q.path().equals(PATH)) {
                refuse(ctx, HttpResponseStatus.NOT_FOUND, "not found");
                return;
            }
            String deploy = param(q, "deploy");
            String keyText = param(q, "key");
            String position = param(q, "position");
            CacheKey key;
            StreamId asker;
            try {
                if (deploy == null || keyText == null) throw new IllegalArgumentException("deploy and key are needed");
                key = CacheKey.fromBytes(keyText.getBytes(StandardCharsets.UTF_8));
                asker = position == null ? StreamId.ZERO : StreamId.parse(position);
            } catch (IllegalArgumentException e) {
                refuse(ctx, HttpResponseStatus.BAD_REQUEST, String.valueOf(e.getMessage()));
                return;
            }
            if (!asker.isAfter(me.position())) {
                serve(ctx, me, deploy, key);
                return;
            }
            // Issue 9: the asker is ahead, usually by the entry both are applying this very moment (a deploy's
            // renders start on every node at once): wait for it briefly rather than send the asker to the origin
            me.appliedWithin(asker, CATCH_UP_WAIT)
                    .whenCompleteAsync(
                            (caughtUp, error) -> guarded(ctx, () -> {
                                if (Boolean.TRUE.equals(caughtUp)) serve(ctx, me, deploy, key);
                                else refuse(ctx, HttpResponseStatus.CONFLICT, "behind the asker in the cluster log");
                            }),
                            ctx.channel().eventLoop());
        }

        @SuppressWarnings("FutureReturnValueIgnored") // the callback answers on the channel
        private void serve(ChannelHandlerContext ctx, ClusterNode me, String deploy, CacheKey key) {
            if (!fillable(me, deploy)) {
                refuse(ctx, HttpResponseStatus.CONFLICT, "deploy " + deploy + " is not active or rendering here");
                return;
            }
            Route route = routes.get().match(key.path());
            if (!route.storage().fillsFromPeers()) {
                refuse(ctx, HttpResponseStatus.NOT_FOUND, "not a persistent route");
                return;
            }
            EntryKey entryKey = new EntryKey(deploy, key);
            String id = me.nodeId();
            cache.lookup(entryKey, route)
                    .whenComplete((found, error) -> guarded(ctx, () -> {
                        Optional<StoredEntry> fresh = found == null
                                ? Optional.empty()
                                : found.map(HotEntry::toEntryReleasing)
                                        .filter(e -> e.isFreshAt(cache.nowMillis()) && !Variants.isIndex(e));
                        if (fresh.isPresent()) answer(ctx, id, fresh.get(), true);
                        else render(ctx, id, entryKey, route);
                    }));
        }

        /** The active deploy, or (issue 9) one whose critical pages the cluster is rendering now. */
        private boolean fillable(ClusterNode me, String deploy) {
            return deploy.equals(cache.activeDeploy())
                    || me.deploys()
                            .get(deploy)
                            .filter(d -> d.state() == DeployState.RENDERING)
                            .isPresent();
        }

        /** Renders through this node's own cache, marked so that it is never forwarded to another node. */
        @SuppressWarnings("FutureReturnValueIgnored") // the callback answers on the channel
        private void render(ChannelHandlerContext ctx, String id, EntryKey key, Route route) {
            String asker = ((InetSocketAddress) ctx.channel().remoteAddress())
                    .getAddress()
                    .getHostAddress();
            OriginRequest request = OriginRequests.forCacheable(key.key(), List.of(), ClientHop.untrusted(asker));
            fill.markPeerRequest(request);
            Optional<CompletableFuture<Fetched>> fetch =
                    cache.fetch(key, route, request, ctx.channel().eventLoop());
            if (fetch.isEmpty()) {
                fill.unmarkPeerRequest(request);
                refuse(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "too many requests wait for this page");
                return;
            }
            fetch.get()
                    .whenComplete((fetched, error) -> guarded(ctx, () -> {
                        fill.unmarkPeerRequest(request);
                        if (error != null) {
                            log.debug("peer.render-failed key={} error=\"{}\"", key, error.toString());
                            refuse(ctx, HttpResponseStatus.BAD_GATEWAY, "render failed: " + error);
                        } else if (fetched.stored() != null) {
                            answer(ctx, id, fetched.stored(), true);
                        } else {
                            var r = fetched.response();
                            answer(
                                    ctx,
                                    id,
                                    new StoredEntry(
                                            r.status(), r.headers(), r.body(), 0, 0, 0, "", List.of(), key.deploy(), 0),
                                    false);
                        }
                    }));
        }

        /** Runs a callback; a bug in it answers 500 at once instead of leaving the asker to its timeout. */
        private static void guarded(ChannelHandlerContext ctx, Runnable callback) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                log.warn("peer.error remote={} error=\"{}\"", ctx.channel().remoteAddress(), e.toString());
                refuse(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "peer fill failed here");
            }
        }

        private boolean authorized(@Nullable String header) {
            byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
            return MessageDigest.isEqual(given, expected); // constant time for equal lengths
        }

        private static @Nullable String param(QueryStringDecoder q, String name) {
            List<String> values = q.parameters().get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        private static void answer(ChannelHandlerContext ctx, String id, StoredEntry entry, boolean stored) {
            byte[] body = EntryCodec.encode(entry); // with its encoded copies: the asker does not compress again
            FullHttpResponse r = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
            r.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
                    .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set(STORED, stored ? "1" : "0")
                    .set(NODE, id);
            send(ctx, r);
        }

        private static void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String why) {
            byte[] body = (why + "\n").getBytes(StandardCharsets.UTF_8);
            FullHttpResponse r =
                    new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
            r.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            send(ctx, r);
        }

        @SuppressWarnings("FutureReturnValueIgnored") // the listener closes the connection on failure
        private static void send(ChannelHandlerContext ctx, FullHttpResponse r) {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }

        @SuppressWarnings("FutureReturnValueIgnored") // Netty close(): nothing to do when a close fails
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("peer.error remote={} error=\"{}\"", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
