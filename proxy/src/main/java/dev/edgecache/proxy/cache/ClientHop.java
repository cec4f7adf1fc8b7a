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
 */
public record ClientHop(String address, boolean trusted) {
    /** A peer nobody vouches for: what it says about earlier hops is dropped. */
    public static ClientHop untrusted(String address) {
        return new ClientHop(address, false);
    }

    /** The hop of a connection from {@code remote}; anything but an IP socket address is untrusted. */
    public static ClientHop of(@Nullable SocketAddress remote, CidrSet trustedProxies) {
        if (remote instanceof InetSocketAddress isa && isa.getAddress() != null) {
            return new ClientHop(isa.getAddress().getHostAddress(), trustedProxies.contains(isa.getAddress()));
        }
        return untrusted(String.valueOf(remote));
    }
}
