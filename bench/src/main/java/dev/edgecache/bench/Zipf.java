package dev.edgecache.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Zipfian key indices (YCSB's default skew, s = 0.99, scrambled so that hot keys are spread over the key
 * space instead of being neighbours in RocksDB's sort order). Pre-computed in set-up, so that drawing a key
 * costs an array read in the measured method.
 */
final class Zipf {
    static final double SKEW = 0.99;

    private Zipf() {}

    /** {@code count} (a power of two) draws from {@code [0, keys)}. */
    static int[] draws(int keys, int count, long seed) {
        if (Integer.bitCount(count) != 1) throw new IllegalArgumentException("count must be a power of two");
        double[] cdf = new double[keys];
        double sum = 0;
        for (int rank = 0; rank < keys; rank++) cdf[rank] = sum += 1 / Math.pow(rank + 1, SKEW);
        for (int rank = 0; rank < keys; rank++) cdf[rank] /= sum;
        SplittableRandom random = new SplittableRandom(seed);
        int[] keyOfRank = shuffled(keys, random);
        int[] draws = new int[count];
        for (int i = 0; i < count; i++) {
            int rank = Arrays.binarySearch(cdf, random.nextDouble());
            draws[i] = keyOfRank[Math.min(keys - 1, rank < 0 ? -rank - 1 : rank)];
        }
        return draws;
    }

    private static int[] shuffled(int n, SplittableRandom random) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
