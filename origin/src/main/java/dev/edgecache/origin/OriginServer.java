package dev.edgecache.origin;

import com.sun.net.httpserver.HttpServer;
import dev.edgecache.origin.account.AccountService;
import dev.edgecache.origin.account.LoginThrottle;
import dev.edgecache.origin.account.PasswordHasher;
import dev.edgecache.origin.account.Usernames;
import dev.edgecache.origin.blog.BlogRendererProvider;
import dev.edgecache.origin.blog.CriticalPaths;
import dev.edgecache.origin.blog.ImageBytes;
import dev.edgecache.origin.blog.ImageDirectory;
import dev.edgecache.origin.blog.Images;
import dev.edgecache.origin.blog.PostService;
import dev.edgecache.origin.blog.PreviewLinks;
import dev.edgecache.origin.config.DatabaseConfig;
import dev.edgecache.origin.config.EdgeLinkConfig;
import dev.edgecache.origin.config.LoginLimitConfig;
import dev.edgecache.origin.config.OriginServerConfig;
import dev.edgecache.origin.db.Database;
import dev.edgecache.origin.db.Dialect;
import dev.edgecache.origin.http.ExchangeAdapter;
import dev.edgecache.origin.markdown.Markdown;
import dev.edgecache.origin.outbox.Outbox;
import dev.edgecache.origin.outbox.PurgeSender;
import dev.edgecache.origin.render.RendererContext;
import dev.edgecache.origin.render.RendererRegistry;
import dev.edgecache.origin.view.Templates;
import dev.edgecache.origin.web.WebApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The origin process: database, renderers, web application, HTTP server and purge sender, started together and
 * closed together in reverse order. The HTTP server is the JDK's, one virtual thread per exchange.
 *
 * <p>Owns: the {@link HttpServer}, its executor, the {@link PurgeSender} thread and the {@link Database}.
 */
public final class OriginServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OriginServer.class);
    private static final int STOP_GRACE_SECONDS = 2;

    private final Database db;
    private final HttpServer server;
    private final ExecutorService executor;
    private final @Nullable PurgeSender sender;

    private OriginServer(Database db, HttpServer server, ExecutorService executor, @Nullable PurgeSender sender) {
        this.db = db;
        this.server = server;
        this.executor = executor;
        this.sender = sender;
    }

    /** Opens the database (creating and migrating it), seeds demo content if asked, and starts listening. */
    public static OriginServer start(OriginServerConfig config) {
        InstantSource clock = InstantSource.system();
        RendererRegistry.checkNames(config.renderers());
        try {
            Files.createDirectories(config.data());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + config.data(), e);
        }
        DatabaseConfig database = config.database();
        Database db = Database.open(
                Objects.requireNonNull(database.url()), database.poolSize()); // url filled in by the config
        try {
            return start(config, db, clock);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static OriginServer start(OriginServerConfig config, Database db, InstantSource clock) {
        Templates templates = new Templates();
        // image bytes: files beside an embedded SQLite database, in the rows of a shared PostgreSQL one
        ImageBytes imageBytes = db.dialect() == Dialect.SQLITE
                ? new ImageDirectory(config.data().resolve("images"))
                : ImageBytes.IN_DATABASE;
        Images images = new Images(db, clock, imageBytes);
        Markdown markdown = new Markdown(images);
        Map<Class<?>, Object> services =
                Map.of(Database.class, db, Templates.class, templates, Markdown.class, markdown);
        RendererRegistry renderers = RendererRegistry.load(
                config.renderers(),
                name -> new RendererContext(config.settingsOf(name), config.data(), config.publicUrl(), services));
        EdgeLinkConfig edge = config.edge();
        Outbox outbox = new Outbox(edge.enabled(), clock);
        LoginLimitConfig limits = config.loginLimits();
        AccountService accounts = new AccountService(
                db,
                new PasswordHasher(config.passwordHashing().iterations()),
                new Usernames(renderers.firstSegmentsNotRenderedBy(BlogRendererProvider.NAME)),
                new LoginThrottle(limits.perAccount(), limits.perAddress(), limits.window(), clock),
                outbox,
                config.sessions().ttl(),
                clock);
        PostService posts = new PostService(db, outbox, clock, imageBytes);
        if (config.seedDemo()) DemoSeeder.seedIfEmpty(accounts, posts);
        WebApp app = new WebApp(
                accounts,
                posts,
                new CriticalPaths(db),
                renderers,
                templates,
                markdown,
                PreviewLinks.open(
                        db, config.preview().secret(), config.preview().ttl(), clock),
                images,
                config.sessions().secureCookie());

        PurgeSender sender = null;
        if (edge.enabled()) {
            sender = new PurgeSender(
                    db,
                    outbox,
                    edge.purgeUri(),
                    edge.adminToken(),
                    edge.timeout(),
                    edge.retryMin(),
                    edge.retryMax(),
                    clock);
        }
        HttpServer server;
        try {
            server = HttpServer.create(config.listen().toSocketAddress(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + config.listen() + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext(
                "/",
                new ExchangeAdapter(
                        app.handler(),
                        app.errors(),
                        Math.toIntExact(config.maxRequestSize().bytes())));
        server.start();
        if (sender != null) sender.start();
        OriginServer origin = new OriginServer(db, server, executor, sender);
        log.info(
                "origin.listening address={} public-url={} database={} renderers={} purge={}",
                origin.uri(),
                config.publicUrl(),
                db.url(),
                renderers.describe(),
                edge.enabled() ? edge.purgeUri() : "disabled");
        return origin;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code http://host:port} of the bound socket (the real port when configured with port 0). */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort());
    }

    /** Stops accepting, lets running exchanges finish (up to 2s), stops the purge sender, closes the database. */
    @Override
    public void close() {
        server.stop(STOP_GRACE_SECONDS);
        executor.close();
        if (sender != null) sender.close();
        db.close();
        log.info("origin.stopped");
    }
}
