package dev.edgecache.common.store;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable stored response and what the edge knows about it.
 *
 * @param status HTTP status (200, 301, 308, 404, 410...)
 * @param headers end-to-end response headers to replay (no framing, hop-by-hop or cache-internal headers)
 * @param body the body; never modified after construction (callers must not write into it)
 * @param storedAtMillis when the origin's answer was stored (epoch millis)
 * @param expiresAtMillis when it stops being fresh (epoch millis); {@link #NEVER} for persistent pages
 * @param staleUntilMillis until when, once expired, it may still be served while one refresh runs
 *     (stale-while-revalidate; a soft purge sets it to {@link #NEVER}); never before {@code expiresAtMillis}
 * @param etag entity tag served with it: the origin's verbatim, weak or strong, or a strong tag of the body hash
 *     when the origin sent none
 * @param tags purge tags from {@code Cache-Tag}/{@code Surrogate-Key}
 * @param deploy the deploy it was rendered for
 * @param purgeSequence the purge sequence number when its render started (purge fencing)
 * @param encodings content-coded copies of {@code body} made once at store time (issue 5), in the edge's order
 *     of preference; empty when the body is not worth compressing or the origin already encoded it
 */
public record StoredEntry(
        int status,
        List<Header> headers,
        byte[] body,
        long storedAtMillis,
        long expiresAtMillis,
        long staleUntilMillis,
        String etag,
        List<String> tags,
        String deploy,
        long purgeSequence,
        List<Encoded> encodings) {

    public static final long NEVER = Long.MAX_VALUE;
    /** The body of every entry without bytes, also those {@link EntryCodec} decodes: one array, which cannot change. */
    static final byte[] NO_BYTES = new byte[0];

    /** An entry with no encoded copies. */
    public StoredEntry(
            int status,
            List<Header> headers,
            byte[] body,
            long storedAtMillis,
            long expiresAtMillis,
            long staleUntilMillis,
            String etag,
            List<String> tags,
            String deploy,
            long purgeSequence) {
        this(
                status,
                headers,
                body,
                storedAtMillis,
                expiresAtMillis,
                staleUntilMillis,
                etag,
                tags,
                deploy,
                purgeSequence,
                List.of());
    }

    public StoredEntry {
        if (status < 100 || status > 599) throw new IllegalArgumentException("status must be 100..599, got " + status);
        headers = List.copyOf(headers);
        tags = List.copyOf(tags);
        encodings = List.copyOf(encodings);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(deploy, "deploy");
        if (staleUntilMillis < expiresAtMillis) staleUntilMillis = expiresAtMillis;
    }

    /** The entry without its bytes (no body, no encoded copies): what freshness, validators and headers are decided on. */
    public StoredEntry withoutBytes() {
        return withBytes(NO_BYTES, List.of());
    }

    public boolean isFreshAt(long nowMillis) {
        return nowMillis < expiresAtMillis;
    }

    /** Expired, but still servable while a refresh runs. */
    public boolean isServableStaleAt(long nowMillis) {
        return nowMillis >= expiresAtMillis && nowMillis < staleUntilMillis;
    }

    /** A 404 or 410 kept for its negative TTL. */
    public boolean isNegative() {
        return status == 404 || status == 410;
    }

    /** The same entry, expired now but servable while one refresh runs (a soft purge). */
    public StoredEntry markedStale(long nowMillis) {
        return new StoredEntry(
                status,
                headers,
                body,
                storedAtMillis,
                Math.min(expiresAtMillis, nowMillis),
                NEVER,
                etag,
                tags,
                deploy,
                purgeSequence,
                encodings);
    }

    /** The encoded copy in {@code coding}, or null. */
    public @Nullable Encoded encoding(String coding) {
        for (Encoded e : encodings) {
            if (e.coding().equals(coding)) return e;
        }
        return null;
    }

    /** The codings of the encoded copies, in the edge's order of preference. */
    public List<String> codings() {
        return encodings.stream().map(Encoded::coding).toList();
    }

    /** The same entry with these encoded copies of its body. */
    public StoredEntry withEncodings(List<Encoded> encoded) {
        return withBytes(body, encoded);
    }

    /** The same entry with this body and these encoded copies of it. */
    public StoredEntry withBytes(byte[] body, List<Encoded> encodings) {
        return new StoredEntry(
                status,
                headers,
                body,
                storedAtMillis,
                expiresAtMillis,
                staleUntilMillis,
                etag,
                tags,
                deploy,
                purgeSequence,
                encodings);
    }

    /** Whole seconds since it was stored, for the {@code Age} header. */
    public long ageSecondsAt(long nowMillis) {
        return Math.max(0, (nowMillis - storedAtMillis) / 1000);
    }

    /** First value of a header, by case-insensitive name, or null. */
    public @Nullable String header(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) return h.value();
        }
        return null;
    }

    /** Approximate heap footprint, used to weigh entries against the memory budget. */
    public int weight() {
        int w = 96 + body.length + etag.length() * 2 + deploy.length() * 2;
        for (Header h : headers) w += 48 + 2 * (h.name().length() + h.value().length());
        for (String t : tags) w += 40 + 2 * t.length();
        for (Encoded e : encodings) w += 48 + e.body().length; // the compressed copies count against the budget
        return w;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredEntry e
                && status == e.status
                && storedAtMillis == e.storedAtMillis
                && expiresAtMillis == e.expiresAtMillis
                && staleUntilMillis == e.staleUntilMillis
                && purgeSequence == e.purgeSequence
                && headers.equals(e.headers)
                && Arrays.equals(body, e.body)
                && etag.equals(e.etag)
                && tags.equals(e.tags)
                && deploy.equals(e.deploy)
                && encodings.equals(e.encodings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                status,
                headers,
                Arrays.hashCode(body),
                storedAtMillis,
                expiresAtMillis,
                staleUntilMillis,
                etag,
                tags,
                deploy,
                purgeSequence,
                encodings);
    }

    @Override
    public String toString() {
        return "StoredEntry[status=" + status + ", bytes=" + body.length + ", etag=" + etag + ", deploy=" + deploy
                + ", expires=" + (expiresAtMillis == NEVER ? "never" : expiresAtMillis) + ", tags=" + tags + "]";
    }
}
