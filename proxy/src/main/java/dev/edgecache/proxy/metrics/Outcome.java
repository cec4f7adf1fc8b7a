package dev.edgecache.proxy.metrics;

/**
 * How one client exchange ended. Access log, {@code Cache-Status} and the {@code outcome} metric tag all
 * read this one classification (Zuul's StatusCategory), never log text.
 */
public enum Outcome {
    HIT_MEMORY("hit-memory"),
    HIT_DISK("hit-disk"),
    /** Served stale (soft purge, stale-while-revalidate, previous deploy) while one refresh runs. */
    HIT_STALE("hit-stale"),
    MISS_STORED("miss-stored"),
    MISS_NOT_STORABLE("miss-not-storable"),
    MISS_COLLAPSED("miss-collapsed"),
    /** A miss filled from the key's owner in the cluster over the peer port, and stored here (issue 9). */
    MISS_PEER("miss-peer"),
    REFRESH_STORED("refresh-stored"),
    /** An expired page the origin confirmed with 304: headers and freshness updated, body kept. */
    REVALIDATED("revalidated"),
    /** The refresh failed (connect error, timeout, 5xx) and the page was served stale (stale-if-error). */
    STALE_IF_ERROR("stale-if-error"),
    PASS("pass"),
    ORIGIN_ERROR("origin-error"),
    ORIGIN_TIMEOUT("origin-timeout"),
    OVERLOADED("overloaded"),
    /** 503 without an origin request: the origin's circuit is open, or this page's render just failed (issue 8). */
    ORIGIN_HELD_BACK("origin-held-back"),
    /** A path under {@code /_edge/}: origin-to-edge endpoints are not served on the reader port (404). */
    INTERNAL_PATH("internal-path"),
    /** The reader sent {@code only-if-cached} and nothing usable was stored: 504, no origin request. */
    ONLY_IF_CACHED("only-if-cached"),
    CLIENT_BAD_REQUEST("client-bad-request"),
    METHOD_NOT_ALLOWED("method-not-allowed");

    private final String tag;

    Outcome(String tag) {
        this.tag = tag;
    }

    /** The metric tag and access-log value. */
    public String tag() {
        return tag;
    }
}
