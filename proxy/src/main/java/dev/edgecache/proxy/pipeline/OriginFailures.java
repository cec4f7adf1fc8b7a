package dev.edgecache.proxy.pipeline;

import dev.edgecache.proxy.metrics.Outcome;
import dev.edgecache.proxy.origin.OriginException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * What a reader gets when the origin could not answer: 504 for a deadline, 502 otherwise, with a short reason that
 * names no internal address. Stateless.
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

    static FullHttpResponse responseFor(Throwable cause) {
        Outcome outcome = outcomeOf(cause);
        if (cause instanceof OriginException oe && oe.kind() == OriginException.Kind.HELD_BACK) {
            FullHttpResponse r = ResponseFactory.error(
                    HttpResponseStatus.SERVICE_UNAVAILABLE, "the origin server is failing; retry shortly", outcome);
            r.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
            return r;
        }
        return outcome == Outcome.ORIGIN_TIMEOUT
                ? ResponseFactory.error(
                        HttpResponseStatus.GATEWAY_TIMEOUT, "the origin server did not answer in time", outcome)
                : ResponseFactory.error(HttpResponseStatus.BAD_GATEWAY, describe(cause), outcome);
    }

    private static String describe(Throwable cause) {
        if (cause instanceof OriginException oe) {
            return switch (oe.kind()) {
                case CONNECT -> "the origin server could not be reached";
                case CLOSED -> "the origin server closed the connection without answering";
                case PROTOCOL -> "the origin server sent an invalid or oversized response";
                case TIMEOUT -> "the origin server did not answer in time";
                case HELD_BACK -> "the origin server is failing; retry shortly";
            };
        }
        return "the origin server could not be used";
    }
}
