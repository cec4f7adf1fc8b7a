package dev.edgecache.proxy.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgecache.common.config.ClusterConfig;
import dev.edgecache.common.key.BadRequestTargetException;
import dev.edgecache.common.store.StoreException;
import dev.edgecache.proxy.cache.Purger;
import dev.edgecache.proxy.deploy.DeployException;
import dev.edgecache.proxy.deploy.DeployRegistry;
import dev.edgecache.proxy.store.RocksDbStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This edge as a member of a cluster (issue 9). Redis holds one Stream, the cluster log, to which every
 * cluster-wide change (a purge, a deploy activation) is appended; every node, the one that appended included,
 * applies the log's entries in order on one consumer thread, through the same {@link Purger} (and so the same purge
 * fence) as a single node, and persists the id of the last applied entry in its RocksDB metadata. On start the node
 * replays from that id before it serves; if entries it never applied are gone (trimmed, or Redis lost its data),
 * which a gap-free sequence number on every entry reveals, the node cannot know which purges it missed and
 * soft-purges everything instead. Each node also heartbeats a key with a short TTL, so membership is
 * simply the keys that exist.
 *
 * <p>Owns the Lettuce client (its own Netty event loops), its two connections (one shared for short commands, one
 * for the consumer's blocking reads), the consumer thread and the heartbeat timer; {@link #close()} releases them.
 * Lettuce reconnects by itself; while Redis is away, appends fail at once (rejected, not queued), so a purge is
 * answered 503 and never applied late by surprise. Thread-safe.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
    static final String LOG_STREAM = "edge:log";
    static final String LOG_SEQUENCE = "edge:log:seq";
    static final String MEMBER_PREFIX = "edge:member:";
    static final String META_POSITION = "cluster-position";
    static final String KIND_PURGE = "purge";
    static final String KIND_ACTIVATE = "activate";
    static final String KIND_DEPLOY = "deploy";
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    static final Duration READ_BLOCK = Duration.ofSeconds(1);
    static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(1);
    static final Duration MEMBER_TTL = Duration.ofSeconds(5);
    static final Duration LOCAL_APPLY_WAIT = Duration.ofSeconds(10);
    /**
     * How often a {@code "wait":"all"} purge looks at the members' positions (one SCAN and one MGET, only while such a
     * purge waits). Every node publishes its position as soon as it has applied a batch, so this step is the most the
     * answer comes late: at 20 ms the answers' median was 28 ms while the nodes applied within 5 ms (RESULTS 14).
     */
    static final Duration WAIT_ALL_POLL = Duration.ofMillis(5);

    static final long MAX_LOG_LENGTH = 100_000;
    static final int READ_BATCH = 200;
    /**
     * Appends with a gap-free sequence number next to Redis's id: a node that sees a number other than the next one
     * knows entries were lost to it (trimmed, or Redis restarted without persistence). Redis 7.0 does not record
     * trimmed ids ({@code max-deleted-entry-id} is only moved by XDEL), so the number is what makes gaps visible.
     */
    static final String APPEND_SCRIPT = """
            local seq = redis.call('INCR', KEYS[2])
            return redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*',
                'seq', seq, 'kind', ARGV[2], 'node', ARGV[3], 'body', ARGV[4])
            """;
    /** Sequence not known (after a gap was handled): the next entry is accepted as it comes. */
    static final long UNKNOWN_SEQUENCE = -1;

    private static final ObjectMapper JSON =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final ClusterConfig config;
    private final String peerAddress;
    private final RocksDbStore disk;
    private final Purger purger;
    private final DeployRegistry deploys;
    private final InstantSource clock;
    private final RedisClient client;
    private final Applied applied;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final ScheduledExecutorService timer;
    private final Thread consumer;
    private final AtomicReference<@Nullable StatefulRedisConnection<String, String>> shared = new AtomicReference<>();
    private volatile boolean redisUp;
    private volatile @Nullable ClusterDeploys deployWork; // set once by ClusterDeploys.attach
    private long sequence; // of the last applied entry; consumer thread only

    private ClusterNode(
            ClusterConfig config,
            String peerAddress,
            RocksDbStore disk,
            Purger purger,
            DeployRegistry deploys,
            InstantSource clock,
            StreamId position,
            long sequence) {
        this.config = config;
        this.sequence = sequence;
        this.peerAddress = peerAddress;
        this.disk = disk;
        this.purger = purger;
        this.deploys = deploys;
        this.clock = clock;
        this.applied = new Applied(position);
        this.client = RedisClient.create(RedisURI.create(config.redis()));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edge-cluster-timer");
            t.setDaemon(true);
            return t;
        });
        this.consumer = new Thread(this::consume, "edge-cluster-log");
        consumer.setDaemon(true);
    }

    /**
     * Joins the cluster: connects to Redis, replays the cluster log from this node's persisted position, and
     * returns once caught up, or after {@code catchUpTimeout} (Redis unreachable): then the node cannot know what
     * it missed, soft-purges every stored page, and keeps trying in the background.
     *
     * @param peerAddress this node's peer-fill address as other nodes should dial it
     */
    public static ClusterNode start(
            ClusterConfig config,
            String peerAddress,
            RocksDbStore disk,
            Purger purger,
            DeployRegistry deploys,
            InstantSource clock,
            Duration catchUpTimeout)
            throws InterruptedException {
        String saved = disk.readMeta(META_POSITION).orElse("0-0 0"); // "<id> <sequence>", one write
        int space = saved.indexOf(' ');
        StreamId position = StreamId.parse(space < 0 ? saved : saved.substring(0, space));
        long sequence = space < 0 ? UNKNOWN_SEQUENCE : Long.parseLong(saved.substring(space + 1));
        ClusterNode node = new ClusterNode(config, peerAddress, disk, purger, deploys, clock, position, sequence);
        log.info(
                "cluster.join node={} redis={} position={}",
                config.nodeId(),
                ClusterConfig.masked(config.redis()),
                position);
        node.consumer.start();
        var unused = node.timer.scheduleAtFixedRate( // runs until close(); heartbeat() catches its own failures
                node::heartbeat, HEARTBEAT_EVERY.toMillis(), HEARTBEAT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        try {
            if (!node.caughtUp.await(catchUpTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn(
                        "cluster.catch-up-timeout node={} after={}ms position={}: Redis is unreachable, so every"
                                + " stored page is soft-purged (revalidated before it is served fresh)",
                        config.nodeId(),
                        catchUpTimeout.toMillis(),
                        node.applied.position());
                node.softPurgeEverything();
            }
        } catch (InterruptedException | RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    public String nodeId() {
        return config.nodeId();
    }

    /** True once the node has replayed the log up to its end at least once (or given up waiting at start). */
    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** False while Redis is unreachable: hits and misses are served, cluster-wide changes are refused. */
    public boolean redisUp() {
        return redisUp;
    }

    public StreamId position() {
        return applied.position();
    }

    /**
     * Appends a purge to the cluster log and completes once this node has applied it (and, with {@code waitAll},
     * once every live member has, bounded by {@code waitAllTimeout}).
     *
     * @throws ClusterUnavailableException Redis did not take it: nothing was purged anywhere
     */
    public CompletableFuture<PurgeOutcome> purge(PurgeOrder order, boolean waitAll, Duration waitAllTimeout) {
        StreamId id = append(KIND_PURGE, json(order));
        CompletableFuture<Integer> here = applied.when(id);
        return here.orTimeout(LOCAL_APPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .handle((count, error) -> {
                    if (error != null) applied.cancel(here);
                    return error == null ? count : null;
                })
                .thenCompose(count -> {
                    boolean appliedHere = count != null;
                    int purged = count == null ? 0 : count;
                    if (!waitAll)
                        return CompletableFuture.completedFuture(new PurgeOutcome(purged, id, appliedHere, List.of()));
                    return membersAt(id, waitAllTimeout)
                            .thenApply(behind -> new PurgeOutcome(purged, id, appliedHere, behind));
                });
    }

    /**
     * Appends the activation of deploy {@code id} to the cluster log; every node switches when it reaches the
     * entry. Completes once this node has.
     */
    public CompletableFuture<StreamId> activate(String deployId) {
        StreamId id = append(KIND_ACTIVATE, json(Map.of("deploy", deployId)));
        return applied.when(id)
                .orTimeout(LOCAL_APPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(n -> id);
    }

    /** The live members (heartbeat keys present), this node included when Redis has its heartbeat. */
    public List<Member> members() {
        RedisCommands<String, String> redis = commands();
        try {
            List<String> keys = new ArrayList<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(
                        cursor, ScanArgs.Builder.matches(MEMBER_PREFIX + "*").limit(100));
                keys.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
            if (keys.isEmpty()) return List.of();
            List<Member> out = new ArrayList<>();
            for (KeyValue<String, String> kv : redis.mget(keys.toArray(String[]::new))) {
                if (!kv.hasValue()) continue; // expired between SCAN and MGET
                try {
                    out.add(JSON.readValue(kv.getValue(), Member.class));
                } catch (JsonProcessingException e) {
                    log.warn("cluster.bad-heartbeat key={} error=\"{}\"", kv.getKey(), e.getOriginalMessage());
                }
            }
            out.sort((a, b) -> a.id().compareTo(b.id()));
            return out;
        } catch (RedisException e) {
            throw unavailable("cannot list the cluster members", e);
        }
    }

    /** Log entries after {@code position}, counted up to {@code cap} (then {@code cap}). */
    public long lag(String position, int cap) {
        try {
            return commands()
                    .xrange(
                            LOG_STREAM,
                            Range.from(Range.Boundary.excluding(position), Range.Boundary.unbounded()),
                            Limit.from(cap))
                    .size();
        } catch (RedisException e) {
            throw unavailable("cannot read the cluster log", e);
        }
    }

    private StreamId append(String kind, String body) {
        try {
            String id = commands()
                    .eval(
                            APPEND_SCRIPT,
                            ScriptOutputType.VALUE,
                            new String[] {LOG_STREAM, LOG_SEQUENCE},
                            Long.toString(MAX_LOG_LENGTH),
                            kind,
                            config.nodeId(),
                            body);
            return StreamId.parse(id);
        } catch (RedisException e) {
            throw unavailable("Redis did not take the " + kind + ", so nothing was changed on any node", e);
        }
    }

    ClusterUnavailableException unavailable(String what, Exception e) {
        return new ClusterUnavailableException(
                "cluster: " + what + " (Redis " + ClusterConfig.masked(config.redis()) + ": " + e.getMessage() + ")",
                e);
    }

    /** Polls the members' heartbeats until every live one has applied {@code id}; completes with those behind. */
    private CompletableFuture<List<String>> membersAt(StreamId id, Duration timeout) {
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        AtomicReference<@Nullable ScheduledFuture<?>> task = new AtomicReference<>();
        Runnable poll = () -> {
            if (done.isDone()) return;
            List<String> behind;
            try {
                behind = members().stream()
                        .filter(m -> StreamId.parse(m.position()).compareTo(id) < 0)
                        .map(Member::id)
                        .toList();
            } catch (RuntimeException e) {
                behind = List.of("(unknown: " + e.getMessage() + ")");
            }
            if (behind.isEmpty() || System.nanoTime() - deadline > 0) {
                done.complete(behind);
                ScheduledFuture<?> t = task.get();
                if (t != null) t.cancel(false);
            }
        };
        task.set(timer.scheduleWithFixedDelay(poll, 0, WAIT_ALL_POLL.toMillis(), TimeUnit.MILLISECONDS));
        return done;
    }

    RedisCommands<String, String> commands() {
        StatefulRedisConnection<String, String> c = shared.get();
        if (c == null) {
            synchronized (shared) {
                c = shared.get();
                if (c == null) {
                    c = client.connect(); // throws while Redis is unreachable; afterwards Lettuce reconnects itself
                    shared.set(c);
                }
            }
        }
        return c.sync();
    }

    /** The consumer thread: replays, then follows the cluster log; survives Redis outages. */
    private void consume() {
        StatefulRedisConnection<String, String> reader = null;
        long backoffMs = 100;
        boolean wasDown = true;
        long appliedSinceLog = 0;
        while (stopping.getCount() > 0) {
            try {
                if (reader == null) {
                    reader = client.connect();
                    reader.setTimeout(READ_BLOCK.plus(COMMAND_TIMEOUT));
                }
                if (wasDown) {
                    checkForGap(reader.sync());
                    wasDown = false;
                    if (!redisUp) log.info("cluster.redis-up node={}", config.nodeId());
                    redisUp = true;
                    backoffMs = 100;
                }
                boolean follow = caughtUp();
                XReadArgs args = XReadArgs.Builder.count(READ_BATCH);
                if (follow) args.block(READ_BLOCK);
                List<StreamMessage<String, String>> batch = read(reader.sync(), args);
                if (batch == null || batch.isEmpty()) {
                    if (!follow) {
                        log.info(
                                "cluster.caught-up node={} position={} replayed={}",
                                config.nodeId(),
                                applied.position(),
                                appliedSinceLog);
                        caughtUp.countDown();
                        heartbeat();
                    }
                    continue;
                }
                for (StreamMessage<String, String> m : batch) apply(m);
                appliedSinceLog += batch.size();
                if (!follow)
                    log.info(
                            "cluster.catch-up node={} position={} replayed={}",
                            config.nodeId(),
                            applied.position(),
                            appliedSinceLog);
                heartbeat(); // publish the new position now: "wait":"all" callers poll it
            } catch (RedisException e) {
                if (stopping.getCount() == 0) break;
                if (redisUp) {
                    log.warn("cluster.redis-down node={} error=\"{}\"", config.nodeId(), e.getMessage());
                }
                redisUp = false;
                wasDown = true;
                if (!pause(backoffMs)) break;
                backoffMs = Math.min(backoffMs * 2, 1_000);
            } catch (StoreException e) {
                log.error("cluster.apply-failed node={} error=\"{}\": retrying", config.nodeId(), e.getMessage());
                if (!pause(1_000)) break;
            }
        }
        if (reader != null) reader.close();
    }

    @SuppressWarnings("unchecked") // Lettuce's xread takes a generic varargs array; one offset here
    private List<StreamMessage<String, String>> read(RedisCommands<String, String> redis, XReadArgs args) {
        return redis.xread(
                args, XReadArgs.StreamOffset.from(LOG_STREAM, applied.position().toString()));
    }

    /** Waits {@code ms} unless the node stops first; false when stopping. */
    private boolean pause(long ms) {
        try {
            return !stopping.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * On every (re)connection: if the log's counter moved past this node's sequence but the next entry is no longer
     * in the stream (trimmed), or the counter went back (Redis lost its data), the purges among the missing entries
     * are unknown here: mark every stored page stale rather than risk serving a purged one.
     */
    private void checkForGap(RedisCommands<String, String> redis) {
        String counterText = redis.get(LOG_SEQUENCE);
        long counter = counterText == null ? 0 : Long.parseLong(counterText);
        if (sequence == UNKNOWN_SEQUENCE || counter == sequence) return;
        boolean gap;
        if (counter < sequence) {
            gap = true; // the log was reset under us
        } else {
            List<StreamMessage<String, String>> next = redis.xrange(
                    LOG_STREAM,
                    Range.from(Range.Boundary.excluding(applied.position().toString()), Range.Boundary.unbounded()),
                    Limit.from(1));
            gap = next.isEmpty() || sequenceOf(next.get(0)) != sequence + 1;
        }
        if (gap) handleGap("log counter " + counter + ", this node at " + sequence);
    }

    private void handleGap(String why) {
        log.warn(
                "cluster.log-gap node={} position={} ({}): entries this node never applied are gone; soft-purging"
                        + " every stored page",
                config.nodeId(),
                applied.position(),
                why);
        softPurgeEverything();
        sequence = UNKNOWN_SEQUENCE;
        disk.writeMeta(META_POSITION, applied.position() + " " + sequence);
    }

    private static long sequenceOf(StreamMessage<String, String> m) {
        try {
            return Long.parseLong(m.getBody().getOrDefault("seq", "-1"));
        } catch (NumberFormatException e) {
            return UNKNOWN_SEQUENCE;
        }
    }

    private void softPurgeEverything() {
        PurgeOrder o = PurgeOrder.softEverything();
        int n = purger.purge(o.urls(), o.prefixes(), o.tags(), o.all(), o.soft(), false)
                .purged();
        log.warn("cluster.soft-purged-everything node={} pages={}", config.nodeId(), n);
    }

    private void apply(StreamMessage<String, String> m) {
        StreamId id = StreamId.parse(m.getId());
        long seq = sequenceOf(m);
        if (sequence != UNKNOWN_SEQUENCE && seq != UNKNOWN_SEQUENCE && seq != sequence + 1) {
            handleGap("entry " + id + " is number " + seq + ", expected " + (sequence + 1));
        }
        Map<String, String> body = m.getBody();
        String kind = body.getOrDefault("kind", "");
        int count = 0;
        try {
            switch (kind) {
                case KIND_PURGE -> {
                    PurgeOrder o = JSON.readValue(body.getOrDefault("body", "{}"), PurgeOrder.class);
                    count = purger.purge(o.urls(), o.prefixes(), o.tags(), o.all(), o.soft(), false)
                            .purged();
                    log.debug(
                            "cluster.purge node={} id={} from={} purged={}",
                            config.nodeId(),
                            id,
                            body.get("node"),
                            count);
                }
                case KIND_ACTIVATE -> {
                    String deploy = JSON.readTree(body.getOrDefault("body", "{}"))
                            .path("deploy")
                            .asText("");
                    activateHere(deploy, id);
                }
                case KIND_DEPLOY ->
                    JSON.readValue(body.getOrDefault("body", "{}"), DeployEntry.class)
                            .applyTo(deploys, () -> deployWork);
                default -> log.warn("cluster.unknown-entry node={} id={} kind={}", config.nodeId(), id, kind);
            }
        } catch (JsonProcessingException | BadRequestTargetException | DeployException e) {
            log.warn(
                    "cluster.entry-skipped node={} id={} kind={} error=\"{}\"",
                    config.nodeId(),
                    id,
                    kind,
                    e.getMessage());
        }
        sequence = seq;
        disk.writeMeta(META_POSITION, id + " " + seq); // after the purge's deletes: a crash in between re-applies it
        applied.applied(id, count);
    }

    /**
     * Switches this node to {@code deploy} at its point in the log. A node that did not render the deploy (another
     * node took the call) registers it empty: its pages are filled on first request.
     */
    private void activateHere(String deploy, StreamId id) {
        if (deploy.isEmpty()) return;
        if (deploys.get(deploy).filter(d -> d.state().isLive()).isEmpty()) deploys.create(deploy, 0);
        deploys.activate(deploy);
        log.info("cluster.activate node={} id={} deploy={}", config.nodeId(), id, deploy);
    }

    /** Issue 9: who renders the deploys that {@code deploy} entries create here; set once, at start-up. */
    void renderDeploysWith(ClusterDeploys work) {
        this.deployWork = work;
    }

    /** The cluster side of deploys, once the edge has wired it (always, after start-up). */
    public Optional<ClusterDeploys> deployWork() {
        return Optional.ofNullable(deployWork);
    }

    DeployRegistry deploys() {
        return deploys;
    }

    /**
     * Completes with true once this node has applied {@code id} (or anything after it), with false after {@code
     * wait}: a peer asking for a page may be a few milliseconds ahead of this node in the log.
     */
    CompletableFuture<Boolean> appliedWithin(StreamId id, Duration wait) {
        CompletableFuture<Integer> here = applied.when(id);
        return here.orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS).handle((n, error) -> {
            if (error != null) applied.cancel(here);
            return error == null;
        });
    }

    private void heartbeat() {
        StatefulRedisConnection<String, String> c = shared.get();
        try {
            RedisCommands<String, String> redis = c != null ? c.sync() : commands();
            Member me = new Member(
                    config.nodeId(),
                    peerAddress,
                    deploys.active(),
                    applied.position().toString(),
                    clock.millis());
            redis.set(MEMBER_PREFIX + config.nodeId(), json(me), SetArgs.Builder.px(MEMBER_TTL.toMillis()));
        } catch (RedisException e) {
            log.debug("cluster.heartbeat-failed node={} error=\"{}\"", config.nodeId(), e.getMessage());
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value, e);
        }
    }

    @Override
    public void close() {
        stopping.countDown();
        timer.shutdownNow();
        try {
            consumer.join(READ_BLOCK.plus(COMMAND_TIMEOUT).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        StatefulRedisConnection<String, String> c = shared.getAndSet(null);
        if (c != null) {
            try {
                c.sync().del(MEMBER_PREFIX + config.nodeId()); // leave the membership now, not at TTL expiry
            } catch (RedisException e) {
                log.debug("cluster.leave-failed node={} error=\"{}\"", config.nodeId(), e.getMessage());
            }
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        log.info("cluster.leave node={} position={}", config.nodeId(), applied.position());
    }
}
