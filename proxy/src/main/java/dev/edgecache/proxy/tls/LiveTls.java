package dev.edgecache.proxy.tls;

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
 * The TLS port's certificates, reloaded when their files change (issue 13): {@link #checkFiles()} compares each
 * certificate and key file's modification time and size with what it saw last, and on a change reads and checks
 * them all again. A set that passes replaces the current one for new connections (existing connections keep the
 * certificate they were handshaken with); one that fails (expired, mismatched while half written, unreadable) is
 * refused with a WARN naming key and file, and the current set stays. A file rewritten in two steps (certificate,
 * then key) is refused at the first look and taken at the next.
 *
 * <p>Thread-safe: {@link #map(String)} runs on event loops, {@link #checkFiles()} on one checking thread.
 */
public final class LiveTls implements Mapping<String, SslContext> {
    private static final Logger log = LoggerFactory.getLogger(LiveTls.class);

    private final TlsConfig config;
    private final InstantSource clock;
    private volatile TlsContexts current;
    /** What the files looked like at the last check; touched by the checking thread only. */
    private List<String> seen;

    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();

    private LiveTls(TlsConfig config, InstantSource clock, TlsContexts current, List<String> seen) {
        this.config = config;
        this.clock = clock;
        this.current = current;
        this.seen = seen;
    }

    /**
     * Loads the configured certificates once.
     *
     * @throws ConfigException naming the key and file of a certificate that cannot be used
     */
    public static LiveTls load(TlsConfig config, InstantSource clock) {
        List<String> stamps = stamps(config);
        return new LiveTls(config, clock, TlsContexts.load(config, clock), stamps);
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
    public void checkFiles() {
        List<String> now = stamps(config);
        if (now.equals(seen)) return;
        seen = now;
        try {
            TlsContexts next = TlsContexts.load(config, clock, current.provider());
            current = next;
            reloads.incrementAndGet();
            log.info("tls.reload result=ok certificates={}", next.certificates().size());
        } catch (RuntimeException e) { // ConfigException, or anything the provider throws: never kill the checks
            refusals.incrementAndGet();
            log.warn("tls.reload result=refused kept=previous error=\"{}\"", e.getMessage());
        }
    }

    /** Modification time and size of every configured file; "missing" for one that cannot be read. */
    private static List<String> stamps(TlsConfig config) {
        List<String> stamps = new ArrayList<>();
        for (TlsConfig.CertificateFiles files : config.certificates()) {
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
