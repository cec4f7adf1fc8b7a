package dev.edgecache.proxy.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.edgecache.common.store.StoreException;
import dev.edgecache.proxy.cache.ActiveDeploys;
import dev.edgecache.proxy.metrics.EdgeMetrics;
import dev.edgecache.proxy.store.RocksDbStore;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deploys the edge knows and which one is active. The list and the active pointer live in RocksDB's metadata,
 * written before a change becomes visible, so a restart resumes exactly; switching the pointer is one volatile
 * write, so readers move from one deploy to the next atomically. Deploys beyond {@code store.retain-deploys} are
 * deleted (RocksDB range deletes) on a background executor.
 *
 * <p>Thread-safe: changes are serialised on this object; {@link #active()} and {@link #previous()} are volatile
 * reads for the request path. Changes may block (disk): call them off the event loops.
 */
public final class DeployRegistry implements ActiveDeploys {
    private static final Logger log = LoggerFactory.getLogger(DeployRegistry.class);
    static final String META_DEPLOYS = "deploys";
    static final String META_ACTIVE = "active-deploy";
    static final String META_PREVIOUS = "previous-deploy";
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final RocksDbStore disk;
    private final int retain;
    private final InstantSource clock;
    private final Executor cleaner;
    private final Map<String, DeployInfo> deploys; // creation order; guarded by this
    private volatile String active;
    private volatile @Nullable String previous;
    private final List<Consumer<String>> activationListeners = new CopyOnWriteArrayList<>();

    private DeployRegistry(
            RocksDbStore disk,
            int retain,
            InstantSource clock,
            Executor cleaner,
            Map<String, DeployInfo> deploys,
            String active,
            @Nullable String previous) {
        this.disk = disk;
        this.retain = retain;
        this.clock = clock;
        this.cleaner = cleaner;
        this.deploys = deploys;
        this.active = active;
        this.previous = previous;
    }

    /** Loads the persisted deploys, or makes {@code initial} the active deploy on first start. May block. */
    public static DeployRegistry load(
            RocksDbStore disk, String initial, int retain, InstantSource clock, Executor cleaner) {
        Map<String, DeployInfo> deploys = new LinkedHashMap<>();
        for (DeployInfo d : read(disk)) deploys.put(d.id(), d);
        String active = disk.readMeta(META_ACTIVE).orElse(null);
        if (active == null) {
            active = initial;
            disk.writeMeta(META_ACTIVE, active);
        }
        deploys.putIfAbsent(
                active, DeployInfo.created(active, clock.millis(), 0).activated(clock.millis()));
        DeployRegistry r = new DeployRegistry(
                disk,
                retain,
                clock,
                cleaner,
                deploys,
                active,
                disk.readMeta(META_PREVIOUS).orElse(null));
        synchronized (r) {
            r.persist();
        }
        return r;
    }

    /** Publishes deploy counts by state and the active deploy to {@code metrics}, kept current. */
    public void reportTo(EdgeMetrics metrics) {
        for (DeployState state : DeployState.values()) {
            metrics.monitorDeployCount(
                    state.jsonName(),
                    () -> list().stream().filter(d -> d.state() == state).count());
        }
        metrics.showActiveDeploy(active());
        onActivation(metrics::showActiveDeploy);
    }

    /** Calls {@code listener} with the id of every deploy that becomes active, after the switch. */
    public void onActivation(Consumer<String> listener) {
        activationListeners.add(listener);
    }

    /** The deploy readers are served from. */
    @Override
    public String active() {
        return active;
    }

    /** The deploy that was active before the current one, if it is still retained. */
    @Override
    public Optional<String> previous() {
        return Optional.ofNullable(previous);
    }

    public synchronized List<DeployInfo> list() {
        return List.copyOf(deploys.values());
    }

    public synchronized Optional<DeployInfo> get(String id) {
        return Optional.ofNullable(deploys.get(id));
    }

    /** Deploys whose pages are stored: purges reach all of them. */
    public synchronized List<String> liveIds() {
        return deploys.values().stream()
                .filter(d -> d.state().isLive())
                .map(DeployInfo::id)
                .toList();
    }

    /** Starts a new deploy in state rendering; an id that is live already is refused. */
    public synchronized DeployInfo create(String id, int total) {
        DeployInfo existing = deploys.get(id);
        if (existing != null && existing.state().isLive()) {
            throw new DeployException(
                    DeployException.Kind.CONFLICT,
                    "deploy " + id + " already exists (" + existing.state().jsonName() + ")");
        }
        if (existing != null) disk.removeDeploy(id); // a failed or deleted id may be reused: start clean
        deploys.remove(id);
        DeployInfo d = DeployInfo.created(id, clock.millis(), total);
        deploys.put(id, d);
        persist();
        return d;
    }

    public synchronized void progress(String id, int done, int failures, List<DeployInfo.PageFailure> errors) {
        DeployInfo d = deploys.get(id);
        if (d != null) deploys.put(id, d.progressed(done, failures, errors));
    }

    /** Marks a rendering deploy failed and deletes its pages in the background. */
    public synchronized DeployInfo fail(String id, String reason) {
        DeployInfo d = require(id).failed(reason);
        deploys.put(id, d);
        persist();
        cleaner.execute(() -> disk.removeDeploy(id));
        log.warn("deploy.failed id={} reason=\"{}\"", id, reason);
        return d;
    }

    /**
     * Makes {@code id} the active deploy: a rendered new deploy (roll forward) or a retained one (rollback). The
     * previously active deploy is retained; deploys beyond the retention count are deleted.
     */
    public synchronized DeployInfo activate(String id) {
        DeployInfo d = require(id);
        if (d.state() == DeployState.ACTIVE) return d;
        if (!d.state().isLive()) {
            throw new DeployException(
                    DeployException.Kind.CONFLICT,
                    "deploy " + id + " is " + d.state().jsonName() + " and cannot be activated");
        }
        String old = active;
        DeployInfo now = d.activated(clock.millis());
        deploys.put(id, now);
        deploys.computeIfPresent(old, (k, v) -> v.withState(DeployState.RETAINED));
        disk.writeMeta(META_PREVIOUS, old);
        disk.writeMeta(META_ACTIVE, id); // the durable switch
        persist();
        previous = old;
        active = id; // the visible switch
        enforceRetention();
        log.info("deploy.activated id={} previous={}", id, old);
        activationListeners.forEach(l -> l.accept(id));
        return now;
    }

    private void enforceRetention() {
        List<DeployInfo> kept = new ArrayList<>(deploys.values().stream()
                .filter(d -> d.state() == DeployState.ACTIVE || d.state() == DeployState.RETAINED)
                .toList());
        kept.sort(Comparator.comparingLong(DeployInfo::activatedAt).reversed());
        for (DeployInfo old : kept.subList(Math.min(retain, kept.size()), kept.size())) {
            deploys.put(old.id(), old.withState(DeployState.DELETED));
            if (old.id().equals(previous)) previous = null;
            cleaner.execute(() -> {
                disk.removeDeploy(old.id());
                log.info("deploy.deleted id={} reason=retention", old.id());
            });
        }
        persist();
    }

    private DeployInfo require(String id) {
        DeployInfo d = deploys.get(id);
        if (d == null) throw new DeployException(DeployException.Kind.NOT_FOUND, "no deploy " + id);
        return d;
    }

    private void persist() {
        try {
            disk.writeMeta(META_DEPLOYS, JSON.writeValueAsString(List.copyOf(deploys.values())));
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot encode the deploy list", e);
        }
    }

    private static List<DeployInfo> read(RocksDbStore disk) {
        Optional<String> text = disk.readMeta(META_DEPLOYS);
        if (text.isEmpty()) return List.of();
        try {
            return JSON.readValue(text.get(), new TypeReference<List<DeployInfo>>() {});
        } catch (JsonProcessingException e) {
            throw new StoreException("the stored deploy list is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
