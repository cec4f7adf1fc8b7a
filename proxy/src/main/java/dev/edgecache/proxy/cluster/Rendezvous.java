package dev.edgecache.proxy.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Picks the owner of a cache key among the live members by rendezvous (highest random weight) hashing: every
 * member scores {@code hash(member, key)} and the highest score owns the key. Every node computes the same owner
 * from the same member list with no coordination, and when a member leaves only the keys it owned move (each to
 * its runner-up), so one node going down does not reshuffle the whole cluster's cache. The hash is FNV-1a over the
 * member id and the key, finished with the SplitMix64 mixer: fixed by this code, never by a JVM's seeds, so every
 * node agrees. Stateless.
 */
public final class Rendezvous {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Rendezvous() {}

    /** The owner of {@code key} among {@code members} (ids), or empty when there are none. */
    public static Optional<String> owner(Collection<String> members, byte[] key) {
        @Nullable String best = null;
        long bestScore = 0;
        for (String m : members) {
            long score = score(m, key);
            if (best == null
                    || Long.compareUnsigned(score, bestScore) > 0
                    || (score == bestScore && m.compareTo(best) < 0)) {
                best = m;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    static long score(String member, byte[] key) {
        long h = FNV_OFFSET;
        for (byte b : member.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xff)) * FNV_PRIME;
        h = (h ^ 0xff) * FNV_PRIME; // a separator no UTF-8 id contains: "a"+"bc" and "ab"+"c" differ
        for (byte b : key) h = (h ^ (b & 0xff)) * FNV_PRIME;
        return mix(h);
    }

    /** SplitMix64's finaliser: spreads FNV's weak low bits over the whole word. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
