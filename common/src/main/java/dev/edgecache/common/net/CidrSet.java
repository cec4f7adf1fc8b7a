package dev.edgecache.common.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A set of address blocks, e.g. the edge's {@code trusted-proxies}: the peers whose forwarding headers are
 * believed. Linear in the number of blocks, which a config keeps small (a handful of load balancer ranges), and
 * consulted once per connection, not per request. Immutable.
 */
public final class CidrSet {
    public static final CidrSet EMPTY = new CidrSet(List.of());

    private final List<Cidr> blocks;

    private CidrSet(List<Cidr> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /**
     * Parses every entry with {@link Cidr#parse}.
     *
     * @throws InvalidCidrException naming the index of the first bad entry
     */
    public static CidrSet parse(List<String> entries) {
        List<Cidr> blocks = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            try {
                blocks.add(Cidr.parse(entries.get(i)));
            } catch (IllegalArgumentException e) {
                throw new InvalidCidrException(i, e.getMessage());
            }
        }
        return new CidrSet(blocks);
    }

    public boolean contains(InetAddress address) {
        for (Cidr c : blocks) {
            if (c.contains(address)) return true;
        }
        return false;
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    public List<Cidr> blocks() {
        return blocks;
    }

    @Override
    public String toString() {
        return blocks.toString();
    }

    /** A list entry that is not an address or block; {@link #index()} says which. */
    public static final class InvalidCidrException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final int index;

        InvalidCidrException(int index, @Nullable String message) {
            super(message);
            this.index = index;
        }

        public int index() {
            return index;
        }
    }
}
