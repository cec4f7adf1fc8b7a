package dev.edgecache.proxy.pipeline;

import dev.edgecache.proxy.metrics.Outcome;
import dev.edgecache.proxy.origin.OriginException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * What a reader gets when the origin could not answer: 504 for a deadline, 503 when the origin was not asked (its
 * circuit is open, or the page's render just failed), 502 otherwise, as an {@link ErrorPages} page. The cause goes
 * to {@code Cache-Status} and the log, never into the page. Stateless.
 */
final class OriginFailures {
    private OriginFailures() {}

    /** The failure itself, unwrapped from the future that carried it. */
    static Throwable causeOf(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    static Outcome outcomeOf(Throwable cause) {
        if (cause instanceof OriginException oe && oe.kind() == OriginException.Kind.HELD_BACK) {
            return Outcome.ORIGIN_HELD_BACK;
        }
        boolean timeout = cause instanceof TimeoutException || (cause instanceof OriginException oe && oe.isTimeout());
        return timeout ? Outcome.ORIGIN_TIMEOUT : Outcome.ORIGIN_ERROR;
    }

    /** @param site the request's site: its key's host, empty when no sites are configured */
    static FullHttpResponse responseFor(Throwable cause, ErrorPages pages, String site) {
        Outcome outcome = outcomeOf(cause);
        return switch (outcome) {
            case ORIGIN_HELD_BACK -> {
                FullHttpResponse r = pages.page(HttpResponseStatus.SERVICE_UNAVAILABLE, site, outcome);
                r.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
                yield r;
            }
            case ORIGIN_TIMEOUT -> pages.page(HttpResponseStatus.GATEWAY_TIMEOUT, site, outcome);
            default -> pages.page(HttpResponseStatus.BAD_GATEWAY, site, outcome);
        };
    }
}
