package dev.edgecache.proxy.cluster;

import dev.edgecache.common.store.EntryCodec;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.cache.FillSource;
import dev.edgecache.proxy.origin.OriginResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks another node's {@link PeerServer} for a page (issue 9). Every failure (refused, unreachable, slow past
 * {@code cluster.peer.timeout}, an answer that does not decode) completes empty: the caller then asks the origin,
 * and the reader never sees the peer's trouble. The JDK's HTTP client keeps connections to peers alive. Thread-safe.
 */
public final class PeerClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerClient.class);

    private final HttpClient http;
    private final String authorization;
    private final Duration timeout;

    public PeerClient(String token, Duration timeout) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.authorization = token.isEmpty() ? "" : "Bearer " + token;
        this.timeout = timeout;
    }

    /**
     * The page {@code key} from {@code owner}, or empty on any failure.
     *
     * @param position this node's cluster-log position: an owner behind it refuses (it may not have applied a purge
     *     this node has)
     */
    public CompletableFuture<Optional<FillSource.Filled>> get(Member owner, EntryKey key, StreamId position) {
        URI uri = URI.create("http://" + owner.peer() + PeerServer.PATH
                + "?deploy=" + encode(key.deploy())
                + "&key=" + encode(new String(key.key().toBytes(), StandardCharsets.UTF_8))
                + "&position=" + position);
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (!authorization.isEmpty()) request.header("Authorization", authorization);
        try {
            return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                    .thenApply(r -> decode(owner, key, r))
                    .exceptionally(e -> {
                        log.debug("peer.failed owner={} key={} error=\"{}\"", owner.id(), key, e.toString());
                        return Optional.empty();
                    });
        } catch (RuntimeException e) { // e.g. a malformed peer address in a heartbeat
            log.debug("peer.failed owner={} key={} error=\"{}\"", owner.id(), key, e.toString());
            return CompletableFuture.completedFuture(Optional.empty());
        }
    }

    private static Optional<FillSource.Filled> decode(Member owner, EntryKey key, HttpResponse<byte[]> r) {
        if (r.statusCode() != 200) {
            log.debug("peer.refused owner={} key={} status={}", owner.id(), key, r.statusCode());
            return Optional.empty();
        }
        StoredEntry e = EntryCodec.decode(r.body());
        boolean stored = r.headers().firstValue(PeerServer.STORED).orElse("0").equals("1");
        String node = r.headers().firstValue(PeerServer.NODE).orElse(owner.id());
        return Optional.of(
                new FillSource.Filled(node, new OriginResponse(e.status(), e.headers(), e.body()), stored ? e : null));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.close();
    }
}
