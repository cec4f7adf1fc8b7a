package dev.edgecache.proxy.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgecache.common.key.BadRequestTargetException;
import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.key.KeyRules;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.proxy.cache.Fetched;
import dev.edgecache.proxy.cache.OriginRequests;
import dev.edgecache.proxy.cache.PageCache;
import dev.edgecache.proxy.cache.Route;
import dev.edgecache.proxy.cache.RouteTable;
import dev.edgecache.proxy.origin.OriginClient;
import dev.edgecache.proxy.origin.OriginRequest;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a deploy: renders its critical pages into it with bounded concurrency, reports progress in the
 * {@link DeployRegistry}, then activates it, or marks it failed when more than {@code deploys.max-failure-ratio}
 * of the pages failed (readers keep the old deploy). Thread-safe; registry changes run on {@code work}.
 */
public final class Prerenderer {
    private static final Logger log = LoggerFactory.getLogger(Prerenderer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_ERRORS_SHOWN = 20;

    private final KeyRules keyRules;
    private final PageCache cache;
    private final Supplier<RouteTable> routes;
    private final DeployRegistry registry;
    private final OriginClient origin;
    private final EventLoopGroup loops;
    private final Executor work;
    private final int concurrency;
    private final double maxFailureRatio;

    public Prerenderer(
            PageCache cache,
            Supplier<RouteTable> routes,
            DeployRegistry registry,
            OriginClient origin,
            EventLoopGroup loops,
            Executor work,
            int concurrency,
            double maxFailureRatio,
            KeyRules keyRules) {
        this.keyRules = keyRules;
        this.cache = cache;
        this.routes = routes;
        this.registry = registry;
        this.origin = origin;
        this.loops = loops;
        this.work = work;
        this.concurrency = concurrency;
        this.maxFailureRatio = maxFailureRatio;
    }

    /** Asks the origin for the critical paths: a JSON array of paths, or an object with a {@code paths} array. */
    public CompletableFuture<List<String>> criticalFrom(String target) {
        CacheKey key = CacheKey.fromRequestTarget(target);
        OriginRequest get = new OriginRequest("GET", key.target(), List.of(), new byte[0]);
        return origin.send(get, loops.next())
                .thenApplyAsync(
                        r -> {
                            if (r.status() != 200)
                                throw new DeployException(
                                        DeployException.Kind.BAD_REQUEST,
                                        "critical-from " + target + " answered " + r.status());
                            try {
                                JsonNode node = JSON.readTree(r.body());
                                JsonNode list = node.isArray() ? node : node.path("paths");
                                if (!list.isArray()) throw new IOException("expected a JSON array of paths");
                                List<String> paths = new ArrayList<>();
                                for (JsonNode p : list) paths.add(p.asText());
                                return paths;
                            } catch (IOException e) {
                                throw new DeployException(
                                        DeployException.Kind.BAD_REQUEST,
                                        "critical-from " + target + " is not a JSON list of paths: " + e.getMessage());
                            }
                        },
                        work);
    }

    /** Creates deploy {@code id} (state rendering) and renders {@code paths} into it in the background. */
    public DeployInfo start(String id, List<String> paths) {
        DeployInfo created = registry.create(id, paths.size());
        render(id, paths, (done, failures, errors) -> decide(id, paths.size(), failures));
        return created;
    }

    /**
     * Renders {@code paths} into deploy {@code id}, which the caller has created (state rendering), keeping its
     * progress in the {@link DeployRegistry} and telling {@code report}; nothing is activated or failed here. Issue 9:
     * each node of a cluster renders a cluster-wide deploy this way, its pages filled owner-first ({@code
     * PageCache}'s fill source), and the node that took the deploy decides once every node has finished. Stops taking
     * new pages once the deploy is no longer live here (failed through the cluster log).
     */
    public void render(String id, List<String> paths, Report report) {
        log.info("deploy.rendering id={} critical={} concurrency={}", id, paths.size(), concurrency);
        Job job = new Job(id, List.copyOf(paths), report);
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int i = 0; i < Math.min(concurrency, Math.max(1, paths.size())); i++) workers.add(worker(job));
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new))
                .thenRunAsync(() -> report.finished(job.done.get(), job.failures.get(), job.shownErrors()), work)
                .exceptionally(e -> {
                    log.warn("deploy.error id={} error=\"{}\"", id, e.toString());
                    return null;
                });
    }

    /** Where a render job reports, besides the {@link DeployRegistry}. */
    @FunctionalInterface
    public interface Report {
        /** After each page, on whichever thread finished it (an event loop: must not block). */
        default void progress(int done, int failures, List<DeployInfo.PageFailure> errors) {}

        /** Once, after the last page, on the admin work executor. */
        void finished(int done, int failures, List<DeployInfo.PageFailure> errors);
    }

    /** True when {@code failures} of {@code total} critical pages are more than {@code deploys.max-failure-ratio}. */
    public boolean tooManyFailures(int total, int failures) {
        return total > 0 && failures > total * maxFailureRatio;
    }

    /** The reason a deploy with {@code failures} of {@code total} failed pages is not activated. */
    public String failureReason(int total, int failures) {
        return failures + " of " + total + " critical pages failed (more than " + Math.round(maxFailureRatio * 100)
                + "%)";
    }

    private final class Job {
        final String id;
        final List<String> paths;
        final Report report;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final List<DeployInfo.PageFailure> errors = new ArrayList<>(); // guarded by itself

        Job(String id, List<String> paths, Report report) {
            this.id = id;
            this.paths = paths;
            this.report = report;
        }

        void finished(String path, Optional<String> failure) {
            failure.ifPresent(reason -> {
                failures.incrementAndGet();
                synchronized (errors) {
                    if (errors.size() < MAX_ERRORS_SHOWN) errors.add(new DeployInfo.PageFailure(path, reason));
                }
            });
            int d = done.incrementAndGet();
            List<DeployInfo.PageFailure> shown = shownErrors();
            registry.progress(id, d, failures.get(), shown);
            report.progress(d, failures.get(), shown);
            if (d == paths.size() || d % Math.max(1, paths.size() / 10) == 0) {
                log.info("deploy.progress id={} done={} total={} failures={}", id, d, paths.size(), failures.get());
            }
        }

        List<DeployInfo.PageFailure> shownErrors() {
            synchronized (errors) {
                return List.copyOf(errors);
            }
        }

        /** False once the deploy failed or was deleted here meanwhile (issue 9: through the cluster log). */
        boolean wanted() {
            return registry.get(id).filter(d -> d.state().isLive()).isPresent();
        }
    }

    private CompletableFuture<Void> worker(Job job) {
        int i = job.next.getAndIncrement();
        if (i >= job.paths.size() || !job.wanted()) return CompletableFuture.completedFuture(null);
        String path = job.paths.get(i);
        return renderOne(job.id, path)
                .thenAccept(failure -> job.finished(path, failure))
                .thenCompose(v -> worker(job));
    }

    /** Renders one page into the deploy; completes with the failure reason, or empty on success. */
    private CompletableFuture<Optional<String>> renderOne(String deploy, String path) {
        CacheKey key;
        try {
            key = keyRules.keyFor(path); // the reader port's normalisation, on the first site if there are sites
        } catch (BadRequestTargetException e) {
            return CompletableFuture.completedFuture(Optional.of("bad path: " + e.getMessage()));
        }
        Route route = routes.get().match(key.path());
        if (!route.isCacheable()) {
            return CompletableFuture.completedFuture(Optional.of("route " + route.name() + " is not cacheable"));
        }
        OriginRequest render = OriginRequests.forCacheable(key, List.of(), "127.0.0.1");
        Optional<CompletableFuture<Fetched>> fetch =
                cache.fetch(new EntryKey(deploy, key), route, render, loops.next());
        if (fetch.isEmpty()) return CompletableFuture.completedFuture(Optional.of("too many waiters"));
        return fetch.get().handle((f, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                return Optional.of("origin: " + cause.getMessage());
            }
            if (f.stored() == null) return Optional.of("status " + f.response().status() + ", not stored");
            if (f.stored().isNegative())
                return Optional.of("status " + f.stored().status());
            return Optional.<String>empty();
        });
    }

    /** A single node's decision once its own render is done: activate, or fail past the failure threshold. */
    private void decide(String id, int total, int failures) {
        if (tooManyFailures(total, failures)) registry.fail(id, failureReason(total, failures));
        else registry.activate(id);
    }
}
