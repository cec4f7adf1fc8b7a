package dev.edgecache.proxy.pipeline;

import dev.edgecache.common.http.AcceptEncoding;
import dev.edgecache.common.http.ByteRanges;
import dev.edgecache.common.http.IfRange;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.metrics.Outcome;
import dev.edgecache.proxy.store.HotEntry;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.jspecify.annotations.Nullable;

/**
 * Range requests on stored 200s (RFC 9110 §14, RFC 9111 §3.4). Ranges always apply to the identity representation
 * (the stored body as the origin sent it): an encoded copy is chosen only for whole responses, so a 206 never needs
 * an encoded copy's offsets, and its {@code ETag} and {@code Content-Range} describe the identity bytes. One range,
 * or several that overlap or touch, is a single-part 206; disjoint ranges, an {@code If-Range} that does not hold
 * and a reader that refuses identity ({@code identity;q=0}) get the whole response instead ({@link ByteRanges}
 * says which). Only GET has range semantics (§14.2); {@code If-Range} is evaluated against the identity validators
 * (§13.1.5), a date only against a strong {@code Last-Modified} (§8.8.2.2). A stored entry is always complete: a 206
 * from the origin is never stored (RFC 9111 §3.3), and a range on a miss fetches the whole representation. The 206
 * carries a retained slice of the stored buffer (direct memory on a memory-tier hit), never a copy. Stateless; called on the client connection's event loop.
 */
final class RangeResponses {
    private RangeResponses() {}

    /**
     * Whether {@code req} is a range request on {@code e}: then the identity representation answers it throughout,
     * 304 and ignored ranges included, so its validators are the ones compared.
     */
    static boolean applies(StoredEntry e, ClientRequest req) {
        return e.status() == 200
                && req.range() != null
                && req.method().equals("GET")
                && AcceptEncoding.acceptsIdentity(req.acceptEncoding());
    }

    /** The 206 or 416 for {@code req}, or null when the whole representation is to be sent instead. */
    static @Nullable FullHttpResponse answer(HotEntry stored, ClientRequest req, long nowMillis, Outcome outcome) {
        StoredEntry e = stored.meta();
        String range = req.range();
        if (range == null || !applies(e, req)) return null;
        Representation whole = Representation.identity(stored);
        if (req.ifRange() != null
                && !IfRange.holds(req.ifRange(), whole.etag(), e.header("Last-Modified"), e.header("Date"))) {
            return null; // the reader's copy is outdated: send it the whole new one
        }
        ByteRanges.Decision d = ByteRanges.evaluate(range, whole.length());
        return switch (d.kind()) {
            case IGNORE -> null;
            case UNSATISFIABLE -> {
                FullHttpResponse r = ResponseFactory.error(
                        HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                        "the range is outside the " + whole.length() + " bytes of this page",
                        outcome);
                r.headers().set(HttpHeaderNames.CONTENT_RANGE, d.contentRange(whole.length()));
                r.headers().set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
                yield r;
            }
            case PARTIAL -> {
                FullHttpResponse r = ResponseFactory.storedResponse(
                        HttpResponseStatus.PARTIAL_CONTENT,
                        whole.body().retainedSlice((int) d.first(), (int) d.length()));
                for (Header h : e.headers()) r.headers().add(h.name(), h.value());
                ResponseFactory.finish(r.headers(), stored, whole, d.length(), nowMillis, outcome);
                r.headers().set(HttpHeaderNames.CONTENT_RANGE, d.contentRange(whole.length()));
                yield r;
            }
        };
    }
}
