package dev.edgecache.proxy.accesslog;

import org.jspecify.annotations.Nullable;

/**
 * What the access log says of one reader request.
 *
 * @param client the reader's address (the TCP peer)
 * @param epochMillis when the answer was written
 * @param target the request target as normalised for the cache key
 * @param bytes body bytes sent (0 for HEAD and 304)
 * @param micros from the decoded request to the answer handed to the socket
 * @param outcome the {@code Outcome} tag, e.g. {@code hit-memory}, {@code miss-stored}
 * @param deploy the deploy active when the request was answered
 */
public record AccessEntry(
        String client,
        long epochMillis,
        String method,
        String target,
        int status,
        long bytes,
        long micros,
        String route,
        String outcome,
        String deploy,
        @Nullable String referer,
        @Nullable String userAgent) {}
