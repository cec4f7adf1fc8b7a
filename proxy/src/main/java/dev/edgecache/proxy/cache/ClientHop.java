package dev.edgecache.proxy.cache;

import dev.edgecache.common.net.CidrSet;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * The peer of a reader connection as the origin hears of it (issue 8.5): its address, and whether it is one of the
 * configured {@code trusted-proxies}, whose own {@code X-Forwarded-For}, {@code X-Forwarded-Proto} and {@code Via}
 * the edge believes and extends. Any other peer is the client itself, and what it says about earlier hops is
 * replaced ({@link OriginRequests}). Decided once per connection: the peer does not change.
 *
 * @param address the peer's IP address as text, e.g. {@code 203.0.113.7} or {@code 2001:db8::1}
 * @param trusted whether the peer is a trusted proxy
 * @param tls whether the connection came over TLS (issue 13): the origin hears {@code X-Forwarded-Proto: https}
 */
public record ClientHop(String address, boolean trusted, boolean tls) {
    /** A peer on a plain HTTP connection. */
    public ClientHop(String address, boolean trusted) {
        this(address, trusted, false);
    }

    /** A peer nobody vouches for: what it says about earlier hops is dropped. */
    public static ClientHop untrusted(String address) {
        return new ClientHop(address, false);
    }

    /** The hop of a plain connection from {@code remote}; anything but an IP socket address is untrusted. */
    public static ClientHop of(@Nullable SocketAddress remote, CidrSet trustedProxies) {
        return of(remote, trustedProxies, false);
    }

    /** The hop of a connection from {@code remote}, over TLS or not. */
    public static ClientHop of(@Nullable SocketAddress remote, CidrSet trustedProxies, boolean tls) {
        if (remote instanceof InetSocketAddress isa && isa.getAddress() != null) {
            return new ClientHop(isa.getAddress().getHostAddress(), trustedProxies.contains(isa.getAddress()), tls);
        }
        return new ClientHop(String.valueOf(remote), false, tls);
    }

    /** The scheme the reader used to reach this edge: what {@code X-Forwarded-Proto} says unless a proxy said. */
    public String scheme() {
        return tls ? "https" : "http";
    }
}
