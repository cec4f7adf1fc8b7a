package dev.edgecache.common.key;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The configured part of the one normalisation (issue 5): which query parameters are dropped, whether duplicate
 * slashes are merged, and which hosts are sites. Everything that derives a {@link CacheKey} from a request or a
 * URL (the reader port, purges, deploys) goes through here, so routing, keying and forwarding cannot disagree.
 * Immutable and thread-safe.
 *
 * @param dropParams query parameter names removed from the key and the forwarded request; a trailing {@code *}
 *     matches any suffix ({@code utm_*}); names are compared after percent-decoding of unreserved characters
 * @param mergeSlashes whether {@code //} in a path is read as {@code /}
 * @param sites normalised site hosts ({@link #normaliseHost}); empty keeps the host out of the key
 * @param rejectUnknownHost with sites: an unknown host is a 421, otherwise it is served as the first site
 */
public record KeyRules(List<String> dropParams, boolean mergeSlashes, List<String> sites, boolean rejectUnknownHost) {
    /** No dropped parameters, duplicate slashes merged, no sites. */
    public static final KeyRules DEFAULT = new KeyRules(List.of(), true, List.of(), true);

    public KeyRules {
        dropParams = List.copyOf(dropParams);
        List<String> normalised = new ArrayList<>(sites.size());
        for (String s : sites) normalised.add(normaliseHost(s));
        sites = List.copyOf(new LinkedHashSet<>(normalised));
    }

    /**
     * The key of a reader's request.
     *
     * @param hostHeader the request's {@code Host}; an absolute-form target's authority takes precedence (RFC 9112
     *     §3.2.2)
     * @throws BadRequestTargetException for a target that cannot be keyed safely (400)
     * @throws MisdirectedRequestException for an unknown host when sites are configured and unknown hosts rejected
     */
    public CacheKey key(@Nullable String hostHeader, String target) {
        String authority = CacheKey.authorityOf(target);
        return CacheKey.normalise(target, this, siteOf(authority != null ? authority : hostHeader));
    }

    /** The keys a purge URL covers: the URL's site if it is absolute and names one, otherwise every site. */
    public List<CacheKey> keysFor(String url) {
        String authority = CacheKey.authorityOf(url);
        if (sites.isEmpty()) return List.of(CacheKey.normalise(url, this, ""));
        if (authority != null && sites.contains(normaliseHost(authority))) {
            return List.of(CacheKey.normalise(url, this, normaliseHost(authority)));
        }
        List<CacheKey> keys = new ArrayList<>(sites.size());
        for (String site : sites) keys.add(CacheKey.normalise(url, this, site));
        return keys;
    }

    /** The key of a URL the edge renders itself (a deploy's critical page): its own site, or the first site. */
    public CacheKey keyFor(String url) {
        String authority = CacheKey.authorityOf(url);
        String host = authority != null && sites.contains(normaliseHost(authority)) ? normaliseHost(authority) : "";
        return CacheKey.normalise(url, this, sites.isEmpty() ? "" : host.isEmpty() ? sites.get(0) : host);
    }

    String siteOf(@Nullable String host) {
        if (sites.isEmpty()) return "";
        String h = host == null ? "" : normaliseHost(host);
        if (sites.contains(h)) return h;
        if (rejectUnknownHost) throw new MisdirectedRequestException("this edge does not serve host '" + h + "'");
        return sites.get(0);
    }

    boolean drops(String name) {
        for (String p : dropParams) {
            if (p.endsWith("*") ? name.startsWith(p.substring(0, p.length() - 1)) : name.equals(p)) return true;
        }
        return false;
    }

    /**
     * A host as keyed (RFC 9110 §4.2.3, RFC 3986 §6.2.2.1 and §6.2.3): lower-cased, a trailing dot and the default
     * port 80 removed.
     */
    public static String normaliseHost(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        int portAt = h.startsWith("[") ? h.indexOf("]:") + 1 : h.lastIndexOf(':');
        String port = "";
        if (portAt > 0) {
            port = h.substring(portAt + 1);
            h = h.substring(0, portAt);
        }
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        return port.isEmpty() || port.equals("80") ? h : h + ":" + port;
    }
}
