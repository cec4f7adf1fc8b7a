package dev.edgecache.proxy.pipeline;

import dev.edgecache.common.http.EntityTags;
import dev.edgecache.common.http.HttpDates;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.cache.CacheStatus;
import dev.edgecache.proxy.cache.HopByHop;
import dev.edgecache.proxy.cache.HttpCachePolicy;
import dev.edgecache.proxy.metrics.Outcome;
import dev.edgecache.proxy.origin.OriginResponse;
import dev.edgecache.proxy.store.HotEntry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.IllegalReferenceCountException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Turns stored entries, origin responses and errors into Netty responses for the reader. Stored bodies are
 * wrapped or duplicated, never copied. Stateless; called on the client connection's event loop.
 */
final class ResponseFactory {
    /** Headers a 304 carries (RFC 9110 §15.4.5), besides ETag, Age and Cache-Status which are always added. */
    private static final Set<String> NOT_MODIFIED_HEADERS =
            Set.of("cache-control", "content-location", "date", "expires", "vary", "last-modified");
    /** Never relayed from the origin to a reader: hop-by-hop, framing and cache-internal fields. */
    private static final Set<String> NOT_RELAYED =
            Set.of("content-length", "cache-tag", "surrogate-key", "surrogate-control", "cache-status");

    /** RFC 9111 §5.1: an age too large to represent is sent as 2^31. */
    private static final long MAX_AGE_SECONDS = 2_147_483_648L;

    private static final HttpHeadersFactory STORED_HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private ResponseFactory() {}

    /**
     * A stored entry in the representation the reader accepts (issue 5), a 304 when the request's validators match
     * it (RFC 9110 §13.1.2, §13.1.3), or, for a {@code Range} on a stored 200, a 206 or 416 (§14). The body is
     * wrapped, never copied.
     */
    static FullHttpResponse fromEntry(StoredEntry e, ClientRequest req, long nowMillis, Outcome outcome) {
        return fromHot(HotEntry.wrapping(e), req, nowMillis, outcome);
    }

    /**
     * As {@link #fromEntry}, from the memory tier's own entry: the response carries a retained duplicate (or slice)
     * of its direct buffer, released by Netty once written, so a hit neither copies nor allocates the body (issue 12).
     *
     * @throws IllegalReferenceCountException if the entry was evicted and released meanwhile; nothing is retained
     *     then, and the caller answers as on a miss
     */
    static FullHttpResponse fromHot(HotEntry h, ClientRequest req, long nowMillis, Outcome outcome) {
        StoredEntry e = h.meta();
        boolean ranged = RangeResponses.applies(e, req); // a Range request is answered from the identity body
        Representation rep = ranged ? Representation.identity(h) : Representation.select(h, req.acceptEncoding());
        if (e.status() == 200 && notModified(e, rep.etag(), req)) {
            FullHttpResponse r = storedResponse(HttpResponseStatus.NOT_MODIFIED, Unpooled.EMPTY_BUFFER);
            for (Header hd : e.headers()) {
                if (NOT_MODIFIED_HEADERS.contains(hd.name().toLowerCase(Locale.ROOT)))
                    r.headers().add(hd.name(), hd.value());
            }
            // RFC 9110 §15.4.5 requires Date; entries stored before issue 5 may lack it (§6.6.1: the edge adds one)
            if (!r.headers().contains(HttpHeaderNames.DATE)) {
                r.headers().set(HttpHeaderNames.DATE, HttpDates.format(Instant.ofEpochMilli(nowMillis)));
            }
            finish(r.headers(), h, rep, rep.length(), nowMillis, outcome);
            r.headers().remove(HttpHeaderNames.CONTENT_ENCODING); // not metadata a 304 carries (RFC 9110 §15.4.5)
            return r;
        }
        if (ranged) {
            FullHttpResponse partial = RangeResponses.answer(h, req, nowMillis, outcome);
            if (partial != null) return partial;
        }
        // the only retain: it fails on a released entry before anything is held
        ByteBuf body = req.isHead() ? Unpooled.EMPTY_BUFFER : rep.body().retainedDuplicate();
        FullHttpResponse r = storedResponse(HttpResponseStatus.valueOf(e.status()), body);
        for (Header hd : e.headers()) r.headers().add(hd.name(), hd.value());
        finish(r.headers(), h, rep, rep.length(), nowMillis, outcome);
        return r;
    }

    /**
     * A response whose headers come from the store. They were validated when Netty decoded the origin's response and
     * are checksummed at rest, so they are not validated again on every hit (that was ~10% of a hit's CPU, bench/).
     */
    static FullHttpResponse storedResponse(HttpResponseStatus status, ByteBuf body) {
        // no trailers, and none are added: the shared empty set instead of a header map per response (issue 12)
        return new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, body, STORED_HEADERS.newHeaders(), EmptyHttpHeaders.INSTANCE);
    }

    /** The per-request headers of a response made from {@code s}: validators, framing, negotiation, age, status. */
    static void finish(
            HttpHeaders h, HotEntry s, Representation rep, long contentLength, long nowMillis, Outcome outcome) {
        StoredEntry e = s.meta();
        h.set(HttpHeaderNames.ETAG, rep.etag());
        // RFC 9110 §8.6: never a Content-Length on a 204
        if (e.status() != 204) h.set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        if (rep.coding() != null) h.set(HttpHeaderNames.CONTENT_ENCODING, rep.coding());
        if (!s.codings().isEmpty() && !varies(h)) h.add(HttpHeaderNames.VARY, "Accept-Encoding");
        if (e.status() == 200) h.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        // RFC 9111 §5.1: every answer from the store says its age; an answer fresh from the origin only when the
        // origin's own Age (or a late Date) made it older than zero (§4.2.3), which it passes on
        long age = e.ageSecondsAt(nowMillis);
        if (age > 0 || isHit(outcome)) h.set(HttpHeaderNames.AGE, Math.min(age, MAX_AGE_SECONDS));
        h.set(CacheStatus.HEADER, CacheStatus.of(outcome));
    }

    private static boolean isHit(Outcome outcome) {
        return outcome == Outcome.HIT_MEMORY
                || outcome == Outcome.HIT_DISK
                || outcome == Outcome.HIT_STALE
                || outcome == Outcome.STALE_IF_ERROR;
    }

    private static boolean varies(HttpHeaders h) {
        for (String v : h.getAll(HttpHeaderNames.VARY)) {
            for (String f : v.split(",")) {
                if (f.trim().equalsIgnoreCase("accept-encoding")) return true;
            }
        }
        return false;
    }

    /**
     * RFC 9111 §4.3.2: {@code If-None-Match} wins; {@code If-Modified-Since} is compared with the stored {@code
     * Last-Modified}, else its {@code Date}, else the time it was stored.
     */
    private static boolean notModified(StoredEntry e, String etag, ClientRequest req) {
        if (req.ifNoneMatch() != null) return EntityTags.noneMatchFails(req.ifNoneMatch(), etag);
        if (req.ifModifiedSince() == null) return false;
        Optional<Instant> since = HttpDates.parse(req.ifModifiedSince());
        Instant modified = HttpDates.parse(e.header("Last-Modified"))
                .or(() -> HttpDates.parse(e.header("Date")))
                .orElseGet(() -> Instant.ofEpochMilli(e.storedAtMillis()));
        return since.isPresent() && !modified.isAfter(since.get());
    }

    /**
     * Gives the reader whose request fetched {@code origin} the fields its store copy withholds ({@code private="…"},
     * {@code no-cache="…"}: RFC 9111 §5.2.2.7, §5.2.2.4): they were meant for this reader, only not for the store
     * and the readers it serves later. Never for a collapsed waiter, who is another reader.
     */
    static void restoreWithheld(FullHttpResponse r, OriginResponse origin) {
        Set<String> withheld = HttpCachePolicy.withheldFields(origin.headers());
        if (!withheld.isEmpty()) relay(origin.headers(), r.headers(), withheld::contains);
    }

    /**
     * Adds the fields of {@code from} that are relayed to readers (not hop-by-hop, not framing or cache-internal) and
     * that {@code wanted} accepts by lower-case name to {@code to}.
     */
    private static void relay(List<Header> from, HttpHeaders to, Predicate<String> wanted) {
        Set<String> hop = HopByHop.namesIn(from);
        for (Header h : from) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (!NOT_RELAYED.contains(name) && !hop.contains(name) && wanted.test(name)) to.add(h.name(), h.value());
        }
    }

    /** An origin response relayed as is (pass, or not storable): Set-Cookie and all end-to-end fields kept. */
    static FullHttpResponse fromOrigin(OriginResponse o, boolean head, Outcome outcome) {
        ByteBuf body = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(o.body());
        FullHttpResponse r =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(o.status()), body);
        relay(o.headers(), r.headers(), name -> true);
        // a HEAD answer's Content-Length describes the GET body it did not send (RFC 9110 §9.3.2)
        String length = head ? o.header("Content-Length") : null;
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, length != null ? length : String.valueOf(o.body().length));
        r.headers().set(CacheStatus.HEADER, CacheStatus.of(outcome));
        return r;
    }

    /** An origin's interim response (102, 103...) passed on to the reader: its end-to-end fields, no content. */
    static FullHttpResponse interim(OriginResponse o) {
        FullHttpResponse r = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(o.status()), Unpooled.EMPTY_BUFFER);
        relay(o.headers(), r.headers(), name -> true);
        return r;
    }

    /** A short plain-text error the edge itself produces. */
    static FullHttpResponse error(HttpResponseStatus status, @Nullable String message, Outcome outcome) {
        byte[] text =
                (status.code() + " " + status.reasonPhrase() + ": " + message + "\n").getBytes(StandardCharsets.UTF_8);
        return unstored(status, text, HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8", outcome);
    }

    /** An answer the edge made itself (an error page): {@code Cache-Control: no-store}, its {@code Cache-Status}. */
    static FullHttpResponse unstored(HttpResponseStatus status, byte[] body, String contentType, Outcome outcome) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        r.headers().set(CacheStatus.HEADER, CacheStatus.of(outcome));
        return r;
    }
}
