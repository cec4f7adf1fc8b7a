package dev.edgecache.common.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One IPv4 or IPv6 address block, {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address is a block of one
 * ({@code /32} or {@code /128}). Parsing never resolves a name: only address literals are accepted, so a typo in a
 * config cannot turn into a DNS lookup at start-up. A block with host bits set ({@code 10.1.2.3/8}) is refused
 * rather than silently widened, because the operator probably meant something narrower. An IPv4-mapped IPv6
 * address ({@code ::ffff:10.0.0.1}) matches the IPv4 blocks, as dual-stack sockets report IPv4 peers that way.
 * Immutable.
 */
public final class Cidr {
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])" + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * Parses {@code address} or {@code address/prefix}.
     *
     * @throws IllegalArgumentException naming the problem, for anything else
     */
    public static Cidr parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes = literal(address, text);
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > max) {
                throw new IllegalArgumentException(
                        "'" + text + "': the prefix length must be a number from 0 to " + max);
            }
            prefix = Integer.parseInt(p);
        }
        if (isMapped(bytes) && prefix >= 96) { // ::ffff:10.0.0.0/104 is 10.0.0.0/8
            bytes = unmapped(bytes);
            prefix -= 96;
        }
        byte[] masked = mask(bytes, prefix);
        if (!Arrays.equals(masked, bytes)) {
            throw new IllegalArgumentException(
                    "'" + text + "' has host bits set; did you mean '" + format(masked) + "/" + prefix + "'?");
        }
        return new Cidr(masked, prefix);
    }

    /** Whether {@code address} lies in this block. */
    public boolean contains(InetAddress address) {
        byte[] a = unmapped(address.getAddress());
        return a.length == network.length && Arrays.equals(mask(a, prefix), network);
    }

    public int prefixLength() {
        return prefix;
    }

    private static byte[] literal(String address, String text) {
        boolean v4 = IPV4.matcher(address).matches();
        if (!v4 && !IPV6.matcher(address).matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not an IP address or CIDR block (e.g. 10.0.0.0/8 or 2001:db8::/32)");
        }
        try {
            // brackets make the JDK parse an IPv6 literal or fail, never fall back to a name lookup
            InetAddress parsed = InetAddress.getByName(v4 ? address : "[" + address + "]");
            byte[] a = parsed.getAddress();
            if (v4 || a.length == 16) return a;
            byte[] mapped = new byte[16]; // the JDK returns ::ffff:a.b.c.d as IPv4: keep the IPv6 prefix length
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(a, 0, mapped, 12, 4);
            return mapped;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid IP address", e);
        }
    }

    /** IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) as its IPv4 address. */
    private static byte[] unmapped(byte[] a) {
        return isMapped(a) ? Arrays.copyOfRange(a, 12, 16) : a;
    }

    private static boolean isMapped(byte[] a) {
        if (a.length != 16) return false;
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) return false;
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static byte[] mask(byte[] a, int prefix) {
        byte[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.clamp(prefix - i * 8L, 0, 8);
            out[i] &= (byte) (0xff << (8 - bits));
        }
        return out;
    }

    private static String format(byte[] a) {
        try {
            return InetAddress.getByAddress(a).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address is always valid", e);
        }
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Cidr c && prefix == c.prefix && Arrays.equals(network, c.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefix;
    }
}
