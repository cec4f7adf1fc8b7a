package dev.edgecache.proxy.cluster;

import dev.edgecache.common.store.EntryKey;
import dev.edgecache.proxy.cache.FillSource;
import dev.edgecache.proxy.origin.OriginRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Render once per cluster (issue 9): a miss is filled from the key's owner, chosen by {@link Rendezvous} over the
 * live members, unless this node owns the key or the request came from a peer (never forwarded twice). The member
 * list is read from the heartbeats once a second on a timer, never on the request path, so a miss costs no Redis
 * round trip; a member that died keeps its keys until its heartbeat expires, and requests for them fail fast
 * (connection refused) and go to the origin. Thread-safe.
 */
public final class PeerFill implements FillSource, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerFill.class);
    static final Duration REFRESH_EVERY = Duration.ofSeconds(1);

    private final String self;
    private final PeerClient client;
    private final Set<OriginRequest> peerRequests =
            Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private final ScheduledExecutorService timer;
    private volatile @Nullable ClusterNode node;
    private volatile List<Member> members = List.of();

    public PeerFill(String self, PeerClient client) {
        this.self = self;
        this.client = client;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edge-peer-members");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts following the membership of {@code joined}; until then every miss goes to the origin. */
    public void follow(ClusterNode joined) {
        this.node = joined;
        var unused = timer.scheduleWithFixedDelay( // runs until close(); refresh() catches its own failures
                this::refresh, 0, REFRESH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The node, once joined: what {@link PeerServer} answers with. */
    public Supplier<@Nullable ClusterNode> node() {
        return () -> node;
    }

    @Override
    public CompletableFuture<Optional<Filled>> fill(EntryKey key, OriginRequest request) {
        ClusterNode joined = node;
        if (joined == null || isPeerRequest(request)) return CompletableFuture.completedFuture(Optional.empty());
        Optional<Member> owner = ownerOf(members, self, key.key().toBytes());
        if (owner.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
        return client.get(owner.get(), key, joined.position());
    }

    /**
     * The member that owns {@code key}, or empty when it is this node (or nobody is known): this node always counts
     * itself, whether or not its own heartbeat has reached Redis yet.
     */
    static Optional<Member> ownerOf(List<Member> members, String self, byte[] key) {
        List<String> ids = new ArrayList<>(members.size() + 1);
        for (Member m : members) ids.add(m.id());
        if (!ids.contains(self)) ids.add(self);
        String owner = Rendezvous.owner(ids, key).orElse(self);
        if (owner.equals(self)) return Optional.empty();
        return members.stream().filter(m -> m.id().equals(owner)).findFirst();
    }

    /** A render asked for over the peer port: rendered here, never forwarded again. */
    void markPeerRequest(OriginRequest request) {
        peerRequests.add(request);
    }

    void unmarkPeerRequest(OriginRequest request) {
        peerRequests.remove(request);
    }

    boolean isPeerRequest(OriginRequest request) {
        return peerRequests.contains(request);
    }

    private void refresh() {
        ClusterNode joined = node;
        if (joined == null) return;
        try {
            List<Member> now = joined.members();
            if (!ids(now).equals(ids(members))) {
                log.info("cluster.peers node={} members={}", self, String.join(",", ids(now)));
            }
            members = now;
        } catch (RuntimeException e) { // Redis away: keep the last view; dead peers fail fast and fall back
            log.debug("cluster.peers-unknown node={} error=\"{}\"", self, e.toString());
        }
    }

    private static List<String> ids(List<Member> members) {
        return members.stream().map(Member::id).toList();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        client.close();
    }
}
