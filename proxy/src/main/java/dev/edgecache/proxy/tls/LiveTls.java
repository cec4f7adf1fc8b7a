package dev.edgecache.proxy.tls;

import dev.edgecache.common.config.AdminTlsConfig;
import dev.edgecache.common.config.ConfigException;
import dev.edgecache.common.config.TlsConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates of a TLS port (the reader's {@code tls:} or the admin's {@code admin.tls:}), reloaded without a
 * restart (issue 13) in two ways:
 *
 * <ul>
 *   <li>{@link #checkFiles()}, called every few seconds, compares each certificate and key file's modification time
 *       and size with what it saw last, and on a change reads and checks them all again;
 *   <li>{@link #reload(List)}, called by {@code POST /reload}, reads the files now (no wait for the next check),
 *       and also takes a changed certificate list (sites added or removed, paths changed).
 * </ul>
 *
 * A set that passes replaces the current one for new connections (existing connections keep the certificate they
 * were handshaken with); one that fails (expired, mismatched while half written, unreadable) is refused with a WARN
 * naming key and file, and the current set stays. A file rewritten in two steps (certificate, then key) is refused
 * at the first look and taken at the next.
 *
 * <p>Thread-safe: {@link #map(String)} runs on event loops; {@link #checkFiles()} (the checking thread) and {@link
 * #reload(List)} (the admin's worker) exclude each other.
 */
public final class LiveTls implements Mapping<String, SslContext> {
    private static final Logger log = LoggerFactory.getLogger(LiveTls.class);

    private final InstantSource clock;
    private volatile TlsContexts current;
    /** The files {@link #current} was read from, or that a reload was last refused for; guarded by this. */
    private List<TlsConfig.CertificateFiles> files;
    /** What the files looked like at the last check; guarded by this. */
    private List<String> seen;

    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();

    /** What a {@link #reload(List)} did, for the {@code POST /reload} answer. */
    public record Outcome(State state, @Nullable String reason) {
        /** Taken, left as it was, or refused (the previous set stays). */
        public enum State {
            RELOADED,
            UNCHANGED,
            REFUSED
        }

        /** {@code reloaded}, {@code unchanged} or {@code refused: <reason>}. */
        public String describe() {
            return switch (state) {
                case RELOADED -> "reloaded";
                case UNCHANGED -> "unchanged";
                case REFUSED -> "refused: " + reason;
            };
        }
    }

    private LiveTls(
            InstantSource clock, TlsContexts current, List<TlsConfig.CertificateFiles> files, List<String> seen) {
        this.clock = clock;
        this.current = current;
        this.files = files;
        this.seen = seen;
    }

    /**
     * Loads the reader port's configured certificates once.
     *
     * @throws ConfigException naming the key and file of a certificate that cannot be used
     */
    public static LiveTls load(TlsConfig config, InstantSource clock) {
        List<String> stamps = stamps(config.certificates());
        return new LiveTls(clock, TlsContexts.load(config, clock), config.certificates(), stamps);
    }

    /**
     * Loads the admin port's configured certificates once ({@link TlsContexts#forAdmin}).
     *
     * @throws ConfigException naming the key ({@code admin.tls.certificates[i]}) and file of a certificate that
     *     cannot be used
     */
    public static LiveTls forAdmin(AdminTlsConfig config, InstantSource clock) {
        List<String> stamps = stamps(config.certificates());
        return new LiveTls(clock, TlsContexts.forAdmin(config, clock), config.certificates(), stamps);
    }

    @Override
    public SslContext map(@Nullable String hostName) {
        return current.map(hostName);
    }

    /** The certificates new connections get. */
    public TlsContexts current() {
        return current;
    }

    /** Certificate sets taken since the start. */
    public long reloads() {
        return reloads.get();
    }

    /** Changed files refused since the start (the previous set stayed). */
    public long refusals() {
        return refusals.get();
    }

    /** Reloads the certificates if any of their files changed since the last check. Never throws. */
    public synchronized void checkFiles() {
        List<String> now = stamps(files);
        if (now.equals(seen)) return;
        seen = now;
        try {
            TlsContexts next = current.reload(files, clock);
            current = next;
            reloads.incrementAndGet();
            log.info(
                    "tls.reload key={} trigger=files result=ok certificates={}",
                    next.key(),
                    next.certificates().size());
        } catch (RuntimeException e) { // ConfigException, or anything the provider throws: never kill the checks
            refusals.incrementAndGet();
            log.warn(
                    "tls.reload key={} trigger=files result=refused kept=previous error=\"{}\"",
                    current.key(),
                    e.getMessage());
        }
    }

    /**
     * Reads {@code next} (the certificate list of the config file just re-read: the same files, or sites added,
     * removed or moved) now, and takes it for new connections if every certificate passes and something changed.
     * Never throws: a set that fails is refused, counted and logged, and the current one stays.
     */
    public synchronized Outcome reload(List<TlsConfig.CertificateFiles> next) {
        List<String> now = stamps(next); // before reading: a change made while reading is seen by the next check
        TlsContexts loaded;
        try {
            loaded = current.reload(next, clock);
        } catch (RuntimeException e) { // ConfigException, or anything the provider throws
            refusals.incrementAndGet();
            if (next.equals(files)) seen = now; // the checks need not refuse the same files again
            log.warn(
                    "tls.reload key={} trigger=reload result=refused kept=previous error=\"{}\"",
                    current.key(),
                    e.getMessage());
            return new Outcome(Outcome.State.REFUSED, String.valueOf(e.getMessage()));
        }
        files = List.copyOf(next);
        seen = now;
        if (loaded.sameCertificatesAs(current)) {
            log.info("tls.reload key={} trigger=reload result=unchanged", loaded.key());
            return new Outcome(Outcome.State.UNCHANGED, null);
        }
        current = loaded;
        reloads.incrementAndGet();
        log.info(
                "tls.reload key={} trigger=reload result=ok certificates={}",
                loaded.key(),
                loaded.certificates().size());
        return new Outcome(Outcome.State.RELOADED, null);
    }

    /** Modification time and size of every configured file; "missing" for one that cannot be read. */
    private static List<String> stamps(List<TlsConfig.CertificateFiles> certificates) {
        List<String> stamps = new ArrayList<>();
        for (TlsConfig.CertificateFiles files : certificates) {
            stamps.add(stamp(files.cert()));
            stamps.add(stamp(files.key()));
        }
        return stamps;
    }

    private static String stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
        } catch (IOException e) {
            return "missing";
        }
    }
}
