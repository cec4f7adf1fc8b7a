package dev.edgecache.proxy.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.edgecache.proxy.deploy.DeployException;
import dev.edgecache.proxy.deploy.DeployInfo;
import dev.edgecache.proxy.deploy.DeployRegistry;
import dev.edgecache.proxy.deploy.DeployState;
import dev.edgecache.proxy.deploy.Prerenderer;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys of a cluster (issue 9): {@code POST /deploys} on any node creates the deploy for the whole cluster, and
 * every critical page is rendered once cluster-wide.
 *
 * <ol>
 *   <li>The node that takes the call claims the id and appends a {@code deploy} entry to the cluster log, in one Lua
 *       script: a hash {@code edge:deploy:<id>} (cluster state, who took it, one field per node's progress) and the
 *       critical paths under {@code edge:deploy:<id>:paths}, both kept {@link #KEEP}. An id another node is
 *       rendering or activated is refused (409); a failed one may be reused, as on a single node.
 *   <li>Every node applying the entry (that one included) registers the deploy ({@link DeployEntry}) and renders
 *       the paths through its own {@code PageCache}, whose fill source asks each page's owner (rendezvous over the
 *       live members) over the peer port: the owner renders it once, collapsed with its own render of the page, and
 *       every other node stores its copy. Each node writes its progress ({@link NodeProgress}) to the hash, at most
 *       every {@link #PROGRESS_EVERY} and once when done.
 *   <li>The taking node watches the hash and the heartbeats. Once every live member is done (a member that left the
 *       membership, or has shown no progress for {@link #STALL_TIMEOUT}, is no longer waited for, and is marked so
 *       in the hash), it appends the {@code activate} entry, or a {@code deploy} entry saying the deploy failed when
 *       a node had more failed pages than {@code deploys.max-failure-ratio} allows; the hash's state changes in the
 *       same script, only if it still says rendering.
 * </ol>
 *
 * A node that restarts during a deploy resumes it: {@link #attach} renders every deploy still rendering here (unless
 * this node had reported done) and, on the node that took it, watches it again.
 *
 * <p>Owns one thread (Redis calls, progress writes, the watches); thread-safe. {@link #renderHere} is called on the
 * cluster-log consumer thread and never blocks it.
 */
public final class ClusterDeploys implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterDeploys.class);
    static final String KEY_PREFIX = "edge:deploy:";
    static final String NODE_FIELD = "node:";
    static final String STATE_RENDERING = "rendering";
    static final String STATE_ACTIVATED = "activated";
    static final String STATE_FAILED = "failed";
    /** How long Redis keeps a deploy's progress and paths; a node replaying an older deploy entry does not render it. */
    static final Duration KEEP = Duration.ofDays(7);

    static final Duration POLL_EVERY = Duration.ofMillis(50);
    static final Duration PROGRESS_EVERY = Duration.ofMillis(100);
    /** A live member whose progress has not moved for this long is not waited for. */
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

    static final Duration RETRY_EVERY = Duration.ofSeconds(1);

    /** Claims the id and appends the {@code deploy} entry atomically: no claim without its entry, or the reverse. */
    private static final String CREATE_SCRIPT = """
            local state = redis.call('HGET', KEYS[3], 'state')
            if state and state ~= 'failed' then return 'refused:' .. state end
            redis.call('DEL', KEYS[3])
            redis.call('HSET', KEYS[3], 'state', 'rendering', 'total', ARGV[6], 'by', ARGV[3], 'created-at', ARGV[7])
            redis.call('PEXPIRE', KEYS[3], ARGV[8])
            redis.call('SET', KEYS[4], ARGV[5], 'PX', ARGV[8])
            """ + ClusterNode.APPEND_SCRIPT;
    /** Records the decision and appends its entry, only while the deploy is still rendering: decided once. */
    private static final String DECIDE_SCRIPT = """
            if redis.call('HGET', KEYS[3], 'state') ~= 'rendering' then return false end
            redis.call('HSET', KEYS[3], 'state', ARGV[5], 'reason', ARGV[6])
            """ + ClusterNode.APPEND_SCRIPT;
    /** A progress write never recreates a hash that expired (it would never expire again). */
    private static final String PROGRESS_SCRIPT = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            return redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            """;

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final TypeReference<List<String>> PATHS = new TypeReference<>() {};

    private final ClusterNode node;
    private final DeployRegistry registry;
    private final Prerenderer prerenderer;
    private final InstantSource clock;
    private final ScheduledExecutorService work;
    private final Set<String> rendering = ConcurrentHashMap.newKeySet();
    private final Set<String> watched = ConcurrentHashMap.newKeySet();

    private ClusterDeploys(ClusterNode node, DeployRegistry registry, Prerenderer prerenderer, InstantSource clock) {
        this.node = node;
        this.registry = registry;
        this.prerenderer = prerenderer;
        this.clock = clock;
        this.work = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edge-cluster-deploys");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Makes {@code node} render the deploys its log creates, and resumes the deploys left rendering here by a
     * restart (or applied during the start-up replay, before this existed).
     */
    public static ClusterDeploys attach(
            ClusterNode node, DeployRegistry registry, Prerenderer prerenderer, InstantSource clock) {
        ClusterDeploys d = new ClusterDeploys(node, registry, prerenderer, clock);
        node.renderDeploysWith(d); // before the scan below: an entry applied meanwhile is seen by one or the other
        for (DeployInfo info : registry.list()) {
            if (info.state() != DeployState.RENDERING) continue;
            d.renderHere(info.id());
            d.watch(info.id()); // ends at once unless this node took the deploy
        }
        return d;
    }

    static String hashKey(String deploy) {
        return KEY_PREFIX + deploy;
    }

    static String pathsKey(String deploy) {
        return KEY_PREFIX + deploy + ":paths";
    }

    /**
     * Creates deploy {@code id} for the whole cluster (step 1 above) and returns once this node has registered it.
     * Blocks for Redis and this node's consumer: call it on the admin work executor.
     *
     * @throws ClusterUnavailableException Redis did not take it: no node renders anything
     * @throws DeployException (conflict) the id is rendering or was activated in the cluster
     */
    public DeployInfo create(String id, List<String> paths) {
        String answer;
        try {
            answer = node.commands()
                    .eval(
                            CREATE_SCRIPT,
                            ScriptOutputType.VALUE,
                            keys(id),
                            Long.toString(ClusterNode.MAX_LOG_LENGTH),
                            ClusterNode.KIND_DEPLOY,
                            node.nodeId(),
                            json(DeployEntry.start(id, paths.size())),
                            json(paths),
                            Integer.toString(paths.size()),
                            Long.toString(clock.millis()),
                            Long.toString(KEEP.toMillis()));
        } catch (RedisException e) {
            throw node.unavailable("Redis did not take the deploy, so no node renders it", e);
        }
        if (answer.startsWith("refused:")) {
            throw new DeployException(
                    DeployException.Kind.CONFLICT,
                    "deploy " + id + " already exists in the cluster (" + answer.substring("refused:".length()) + ")");
        }
        StreamId at = StreamId.parse(answer);
        log.info("deploy.cluster-start id={} critical={} position={}", id, paths.size(), at);
        watch(id);
        if (!node.appliedWithin(at, ClusterNode.LOCAL_APPLY_WAIT).join()) {
            log.warn("deploy.cluster-start-pending id={} position={}: not applied here yet", id, at);
        }
        return registry.get(id).orElseGet(() -> DeployInfo.created(id, clock.millis(), paths.size()));
    }

    /** Every node's progress on deploy {@code id}, by node id; empty when Redis holds none (an older deploy). */
    public Map<String, NodeProgress> progress(String id) {
        try {
            return nodesOf(node.commands().hgetall(hashKey(id)));
        } catch (RedisException e) {
            throw node.unavailable("cannot read the progress of deploy " + id, e);
        }
    }

    /**
     * Starts rendering deploy {@code id} on this node (step 2 above) when it is rendering both here and in the
     * cluster, and this node has not rendered it already. Never blocks: the work runs on this object's thread.
     */
    void renderHere(String id) {
        submit(() -> startRender(id), Duration.ZERO);
    }

    private void startRender(String id) {
        if (registry.get(id).filter(d -> d.state() == DeployState.RENDERING).isEmpty()) return;
        if (!rendering.add(id)) return; // already rendering here
        boolean started = false;
        try {
            Map<String, String> hash = node.commands().hgetall(hashKey(id));
            String state = hash.getOrDefault("state", "(expired)");
            NodeProgress mine = nodesOf(hash).get(node.nodeId());
            if (!state.equals(STATE_RENDERING)) {
                log.info("deploy.node-skip node={} id={} cluster-state={}", node.nodeId(), id, state);
            } else if (mine != null && mine.isDone()) {
                log.info("deploy.node-skip node={} id={} reason=rendered-before-restart", node.nodeId(), id);
            } else {
                String text = node.commands().get(pathsKey(id));
                List<String> paths = text == null ? List.of() : JSON.readValue(text, PATHS);
                writeProgress(id, new NodeProgress(NodeProgress.RENDERING, paths.size(), 0, 0, clock.millis()));
                prerenderer.render(id, paths, new Reporter(id, paths.size()));
                started = true;
            }
        } catch (RedisException e) {
            log.warn("deploy.node-start-failed node={} id={} error=\"{}\": retrying", node.nodeId(), id, e.toString());
            rendering.remove(id);
            submit(() -> startRender(id), RETRY_EVERY);
            return;
        } catch (JsonProcessingException e) {
            log.warn("deploy.node-bad-paths node={} id={} error=\"{}\"", node.nodeId(), id, e.getOriginalMessage());
        }
        if (!started) rendering.remove(id);
    }

    /** Writes this node's progress on one deploy: the latest at most every {@link #PROGRESS_EVERY}, then done. */
    private final class Reporter implements Prerenderer.Report {
        private final String id;
        private final int total;
        private final AtomicReference<@Nullable NodeProgress> latest = new AtomicReference<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        Reporter(String id, int total) {
            this.id = id;
            this.total = total;
        }

        @Override
        public void progress(int done, int failures, List<DeployInfo.PageFailure> errors) {
            latest.set(new NodeProgress(NodeProgress.RENDERING, total, done, failures, clock.millis()));
            if (scheduled.compareAndSet(false, true)) submit(this::flush, PROGRESS_EVERY);
        }

        @Override
        public void finished(int done, int failures, List<DeployInfo.PageFailure> errors) {
            latest.set(new NodeProgress(NodeProgress.DONE, total, done, failures, clock.millis()));
            rendering.remove(id);
            log.info("deploy.node-done node={} id={} done={} failures={}", node.nodeId(), id, done, failures);
            submit(this::flush, Duration.ZERO);
        }

        private void flush() {
            scheduled.set(false);
            NodeProgress p = latest.get();
            if (p == null) return;
            try {
                writeProgress(id, p);
            } catch (RedisException e) { // the last write matters: the node that took the deploy waits for it
                log.debug("deploy.progress-write-failed id={} error=\"{}\"", id, e.toString());
                if (p.isDone()
                        && registry.get(id).filter(d -> d.state().isLive()).isPresent())
                    submit(this::flush, RETRY_EVERY);
            }
        }
    }

    private void writeProgress(String id, NodeProgress p) {
        node.commands()
                .eval(
                        PROGRESS_SCRIPT,
                        ScriptOutputType.INTEGER,
                        new String[] {hashKey(id)},
                        NODE_FIELD + node.nodeId(),
                        json(p));
    }

    /** Watches deploy {@code id} on this node if this node took it (step 3 above), until it is decided. */
    private void watch(String id) {
        if (!watched.add(id)) return;
        Watch w = new Watch(id, clock.millis());
        try {
            w.task = work.scheduleWithFixedDelay(w::poll, 0, POLL_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) { // closing
            watched.remove(id);
        }
    }

    private final class Watch {
        final String id;
        final long startedAt;
        final DeployWait wait;
        volatile @Nullable ScheduledFuture<?> task;

        Watch(String id, long startedAt) {
            this.id = id;
            this.startedAt = startedAt;
            this.wait = new DeployWait(startedAt, STALL_TIMEOUT);
        }

        void poll() {
            try {
                Map<String, String> hash = node.commands().hgetall(hashKey(id));
                if (!STATE_RENDERING.equals(hash.get("state")) || !node.nodeId().equals(hash.get("by"))) {
                    stop(); // decided, expired, or another node's to decide
                    return;
                }
                int total = Integer.parseInt(hash.getOrDefault("total", "0"));
                Map<String, NodeProgress> nodes = nodesOf(hash);
                List<String> live =
                        new ArrayList<>(node.members().stream().map(Member::id).toList());
                if (!live.contains(node.nodeId())) live.add(node.nodeId()); // its own heartbeat may lag
                long now = clock.millis();
                Optional<DeployWait.Verdict> verdict = wait.check(live, nodes, now);
                if (verdict.isEmpty()) return;
                decide(total, nodes, verdict.get(), now - startedAt);
                stop();
            } catch (RedisException | NumberFormatException e) { // Redis away: keep watching, decide when it is back
                log.debug("deploy.watch-failed id={} error=\"{}\"", id, e.toString());
            } catch (RuntimeException e) { // a bug must not silently end the watch
                log.warn("deploy.watch-error id={} error=\"{}\"", id, e.toString(), e);
            }
        }

        private void decide(int total, Map<String, NodeProgress> nodes, DeployWait.Verdict verdict, long tookMs) {
            Map<String, String> notWaitedFor = verdict.notWaitedFor();
            for (Map.Entry<String, String> e : notWaitedFor.entrySet()) {
                NodeProgress p =
                        nodes.getOrDefault(e.getKey(), new NodeProgress(NodeProgress.RENDERING, total, 0, 0, 0));
                node.commands().hset(hashKey(id), NODE_FIELD + e.getKey(), json(p.withState(e.getValue())));
            }
            boolean noneDone = verdict.worstNode().isEmpty();
            boolean failed = noneDone || prerenderer.tooManyFailures(total, verdict.worstFailures());
            String reason = !failed
                    ? ""
                    : noneDone
                            ? "no node finished rendering the critical pages"
                            : prerenderer.failureReason(total, verdict.worstFailures()) + " on " + verdict.worstNode();
            String kind = failed ? ClusterNode.KIND_DEPLOY : ClusterNode.KIND_ACTIVATE;
            String body = failed ? json(DeployEntry.failed(id, reason)) : json(Map.of("deploy", id));
            String at = node.commands()
                    .eval(
                            DECIDE_SCRIPT,
                            ScriptOutputType.VALUE,
                            keys(id),
                            Long.toString(ClusterNode.MAX_LOG_LENGTH),
                            kind,
                            node.nodeId(),
                            body,
                            failed ? STATE_FAILED : STATE_ACTIVATED,
                            reason);
            if (at == null) return; // decided meanwhile (cannot happen with one watch per deploy; harmless)
            if (failed) {
                log.warn("deploy.cluster-failed id={} position={} reason=\"{}\"", id, at, reason);
            } else {
                log.info(
                        "deploy.cluster-activate id={} position={} nodes={} not-waited-for={} took={}ms",
                        id,
                        at,
                        nodes.size(),
                        notWaitedFor,
                        tookMs);
            }
        }

        private void stop() {
            watched.remove(id);
            ScheduledFuture<?> t = task;
            if (t != null) t.cancel(false);
        }
    }

    private static Map<String, NodeProgress> nodesOf(Map<String, String> hash) {
        Map<String, NodeProgress> out = new TreeMap<>();
        for (Map.Entry<String, String> e : hash.entrySet()) {
            if (!e.getKey().startsWith(NODE_FIELD)) continue;
            try {
                out.put(e.getKey().substring(NODE_FIELD.length()), JSON.readValue(e.getValue(), NodeProgress.class));
            } catch (JsonProcessingException ex) {
                log.warn("deploy.bad-progress field={} error=\"{}\"", e.getKey(), ex.getOriginalMessage());
            }
        }
        return out;
    }

    private static String[] keys(String id) {
        return new String[] {ClusterNode.LOG_STREAM, ClusterNode.LOG_SEQUENCE, hashKey(id), pathsKey(id)};
    }

    private void submit(Runnable task, Duration delay) {
        try {
            var unused = work.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("deploy.cluster-closing task-dropped");
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
        work.shutdownNow();
    }
}
