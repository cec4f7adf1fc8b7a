package dev.edgecache.origin.http;

/**
 * Answers one request. Called on a virtual thread per request; may block. May throw
 * {@link dev.edgecache.origin.RejectedException} for a client error.
 */
@FunctionalInterface
public interface Handler {
    Response handle(Request request);
}
