package dev.edgecache.common.config;

import static dev.edgecache.common.config.InvalidValueException.require;

import dev.edgecache.common.http.RequestFields;
import dev.edgecache.common.route.RoutePattern;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code routes:}. The first route whose {@code match} fits a request path decides its mode.
 *
 * @param name a short name for metrics and logs; defaults to the match pattern
 * @param match the path pattern: an exact path, {@code {name}} segments, or a trailing {@code /**}
 * @param mode persistent, ttl, http or pass
 * @param ttl freshness lifetime (required for ttl routes)
 * @param negativeTtl lifetime of stored 404/410 answers ({@value #DEFAULT_NEGATIVE_TTL_TEXT})
 * @param staleWhileRevalidate accepted for ttl routes (served stale while refreshing: issue 5)
 * @param staleIfError accepted for ttl routes (served stale on origin errors: issue 5)
 * @param maxObjectSize largest body stored; larger answers are passed through unstored
 * @param renderTimeout deadline for this route's origin responses, overriding {@code origin.timeout}
 * @param onDeploy what a deploy switch does to this route's pages: {@code purge} (the new deploy renders its
 *     own; default for persistent routes) or {@code stale} (the previous deploy's page is served stale while it
 *     is re-rendered; default for ttl routes)
 * @param clientRevalidate whether a reader's {@code Cache-Control: no-cache}, {@code max-age} or {@code min-fresh}
 *     makes the edge revalidate with the origin ({@code honor}, default for http routes) or is ignored ({@code
 *     ignore}, default for persistent and ttl routes, so that an anonymous reader cannot force origin load on a
 *     shared page)
 * @param maxVariants most {@code Vary} variants stored per URL on an http route ({@value #DEFAULT_MAX_VARIANTS})
 * @param forwardRequestBody pass routes only: forward a request body on GET and DELETE too, whose content has no
 *     defined meaning (RFC 9110 §9.3.1, §9.3.5). Off by default: an origin that does not expect such a body may
 *     read it as a second request on the shared origin connection (request smuggling, issue 8). A HEAD body is
 *     never forwarded.
 * @param requestHeaders request fields added to or taken from what the route forwards by default (issue 11): on
 *     persistent and ttl routes {@code Accept} and {@code User-Agent}; on http routes every end-to-end field but
 *     {@code Cookie}, the conditional and range fields, {@code Accept-Encoding} and the cache-poisoning ones; on pass
 *     routes every end-to-end field. {@code forward} may never name {@code Cookie} (see {@code forward-cookies}), a
 *     conditional, range or encoding field on a cacheable route, nor {@code Authorization} or a cache-poisoning field on a persistent or ttl route
 *     (they key on no request field)
 * @param forwardCookies http routes only: forward the reader's {@code Cookie} ({@value #DEFAULT_FORWARD_COOKIES}).
 *     A request with credentials (Cookie or Authorization) on such a route is never collapsed with others, its
 *     response is stored only when it explicitly allows sharing and varies on {@code Cookie}, and it is answered from
 *     the store only by such a response (issue 11)
 * @param heuristicMax http routes only: the longest lifetime given by heuristic (10% of the time since {@code
 *     Last-Modified}, RFC 9111 §4.2.2) to a response without explicit freshness ({@value
 *     #DEFAULT_HEURISTIC_MAX_TEXT}); {@code 0s} gives none
 */
public record RouteConfig(
        @Nullable String name,
        String match,
        RouteMode mode,
        @Nullable Duration ttl,
        @Nullable Duration negativeTtl,
        @Nullable Duration staleWhileRevalidate,
        @Nullable Duration staleIfError,
        @Nullable DataSize maxObjectSize,
        @Nullable Duration renderTimeout,
        @Nullable OnDeploy onDeploy,
        @Nullable ClientRevalidate clientRevalidate,
        @Nullable Integer maxVariants,
        @Nullable Boolean forwardRequestBody,
        @Nullable RequestHeadersConfig requestHeaders,
        @Nullable Boolean forwardCookies,
        @Nullable Duration heuristicMax) {

    static final String DEFAULT_NEGATIVE_TTL_TEXT = "10s";
    public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(10);
    public static final DataSize DEFAULT_MAX_OBJECT_SIZE = DataSize.ofMebibytes(16);
    public static final int DEFAULT_MAX_VARIANTS = 8;
    public static final boolean DEFAULT_FORWARD_COOKIES = false;
    static final String DEFAULT_HEURISTIC_MAX_TEXT = "1d";
    public static final Duration DEFAULT_HEURISTIC_MAX = Duration.ofDays(1);

    public RouteConfig {
        require(match != null, "match", "every route needs a match pattern");
        require(mode != null, "mode", "every route needs a mode (persistent, ttl, http or pass)");
        try {
            RoutePattern.parse(match);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException("match", e.getMessage());
        }
        if (name == null || name.isBlank()) name = match;
        if (mode == RouteMode.TTL) {
            require(ttl != null, "ttl", "mode ttl needs a ttl, e.g. ttl: 60s");
        } else {
            require(ttl == null, "ttl", "ttl only applies to mode ttl");
        }
        if (ttl != null) require(ttl.isPositive(), "ttl", "ttl must be positive, got " + Durations.format(ttl));
        if (negativeTtl == null) negativeTtl = DEFAULT_NEGATIVE_TTL;
        require(!negativeTtl.isNegative(), "negative-ttl", "negative-ttl must not be negative");
        if (maxObjectSize == null) maxObjectSize = DEFAULT_MAX_OBJECT_SIZE;
        require(maxObjectSize.bytes() > 0, "max-object-size", "max-object-size must be positive");
        require(
                mode == RouteMode.TTL || staleWhileRevalidate == null,
                "stale-while-revalidate",
                "stale-while-revalidate only applies to mode ttl");
        require(
                mode == RouteMode.TTL || staleIfError == null,
                "stale-if-error",
                "stale-if-error only applies to mode ttl");
        if (renderTimeout != null) {
            require(renderTimeout.isPositive(), "render-timeout", "render-timeout must be positive");
        }
        if (onDeploy == null) onDeploy = mode == RouteMode.TTL ? OnDeploy.STALE : OnDeploy.PURGE;
        require(
                mode != RouteMode.PASS || clientRevalidate == null,
                "client-revalidate",
                "client-revalidate only applies to cacheable routes (pass routes always reach the origin)");
        if (clientRevalidate == null)
            clientRevalidate = mode == RouteMode.HTTP ? ClientRevalidate.HONOR : ClientRevalidate.IGNORE;
        require(
                mode == RouteMode.HTTP || maxVariants == null,
                "max-variants",
                "max-variants only applies to mode http (other modes never store a Vary other than Accept-Encoding)");
        if (maxVariants == null) maxVariants = DEFAULT_MAX_VARIANTS;
        require(
                maxVariants >= 1 && maxVariants <= 1024,
                "max-variants",
                "max-variants must be 1..1024, got " + maxVariants);
        require(
                mode == RouteMode.PASS || forwardRequestBody == null,
                "forward-request-body",
                "forward-request-body only applies to pass routes (cacheable routes send the origin a bodiless GET)");
        if (forwardRequestBody == null) forwardRequestBody = false;
        require(
                mode == RouteMode.HTTP || forwardCookies == null,
                "forward-cookies",
                "forward-cookies only applies to mode http (pass routes always forward cookies; persistent and ttl "
                        + "routes never do)");
        if (forwardCookies == null) forwardCookies = DEFAULT_FORWARD_COOKIES;
        if (requestHeaders == null) requestHeaders = RequestHeadersConfig.defaults();
        checkForwarded(mode, requestHeaders.forward());
        if (forwardCookies) {
            require(
                    !requestHeaders.drop().contains("cookie"),
                    "request-headers.drop",
                    "cookie is dropped although forward-cookies is true");
        }
        require(
                mode == RouteMode.HTTP || heuristicMax == null,
                "heuristic-max",
                "heuristic-max only applies to mode http (other modes do not read the origin's freshness)");
        if (heuristicMax == null) heuristicMax = DEFAULT_HEURISTIC_MAX;
        require(!heuristicMax.isNegative(), "heuristic-max", "heuristic-max must not be negative");
    }

    @Override
    public Duration heuristicMax() {
        return Objects.requireNonNull(heuristicMax); // defaulted in the constructor
    }

    /** What {@code request-headers.forward} may add on a route of {@code mode}. */
    private static void checkForwarded(RouteMode mode, List<String> forward) {
        if (mode == RouteMode.PASS) return; // pass routes forward every end-to-end field anyway
        for (int i = 0; i < forward.size(); i++) {
            String name = forward.get(i);
            String key = "request-headers.forward[" + i + "]";
            require(
                    !name.equals("cookie"),
                    key,
                    mode == RouteMode.HTTP
                            ? "cookie is forwarded on an http route with forward-cookies: true, not request-headers"
                            : "cookie is never forwarded on a cacheable "
                                    + mode.name().toLowerCase(Locale.ROOT)
                                    + " route (a stored page is the same for every reader); use a pass route");
            require(
                    !RequestFields.isConditionalOrRange(name),
                    key,
                    "'" + name + "' is answered by the edge from the store (RFC 9110 §13, §14), not forwarded");
            require(
                    !name.equals("accept-encoding"),
                    key,
                    "accept-encoding is answered by the edge (stored bodies are identity; it compresses them itself)");
            if (mode == RouteMode.HTTP) continue;
            require(
                    !name.equals("authorization"),
                    key,
                    "authorization is never forwarded on a cacheable persistent or ttl route; use mode http "
                            + "(RFC 9111 §3.5) or pass");
            require(
                    !RequestFields.POISONING.contains(name),
                    key,
                    "'" + name + "' can poison the cache (it names a host, scheme, path, method or client) and "
                            + "persistent and ttl routes key on no request field");
        }
    }

    @Override
    public String name() {
        return Objects.requireNonNull(name); // defaulted in the constructor
    }

    @Override
    public Duration negativeTtl() {
        return Objects.requireNonNull(negativeTtl); // defaulted in the constructor
    }

    @Override
    public DataSize maxObjectSize() {
        return Objects.requireNonNull(maxObjectSize); // defaulted in the constructor
    }

    @Override
    public OnDeploy onDeploy() {
        return Objects.requireNonNull(onDeploy); // defaulted in the constructor
    }

    @Override
    public ClientRevalidate clientRevalidate() {
        return Objects.requireNonNull(clientRevalidate); // defaulted in the constructor
    }

    @Override
    public Integer maxVariants() {
        return Objects.requireNonNull(maxVariants); // defaulted in the constructor
    }

    @Override
    public Boolean forwardRequestBody() {
        return Objects.requireNonNull(forwardRequestBody); // defaulted in the constructor
    }

    @Override
    public RequestHeadersConfig requestHeaders() {
        return Objects.requireNonNull(requestHeaders); // defaulted in the constructor
    }

    @Override
    public Boolean forwardCookies() {
        return Objects.requireNonNull(forwardCookies); // defaulted in the constructor
    }

    /** A route with defaults, for tests and programmatic use. */
    public static RouteConfig of(String match, RouteMode mode, @Nullable Duration ttl) {
        return new RouteConfig(
                null, match, mode, ttl, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
