package dev.edgecache.common.config;

import com.fasterxml.jackson.annotation.JsonCreator;

/** A size in bytes, written in config as {@code 64KiB}, {@code 256MiB}... (see {@link Sizes}). */
public record DataSize(long bytes) {
    public DataSize {
        if (bytes < 0) throw new IllegalArgumentException("size must not be negative, got " + bytes);
    }

    @JsonCreator
    public static DataSize parse(String text) {
        return new DataSize(Sizes.parse(text));
    }

    public static DataSize ofMebibytes(long n) {
        return new DataSize(n << 20);
    }

    public static DataSize ofKibibytes(long n) {
        return new DataSize(n << 10);
    }

    /** The size as an int, for Netty limits; fails if it does not fit. */
    public int toIntExact() {
        return Math.toIntExact(bytes);
    }

    @Override
    public String toString() {
        if (bytes % (1L << 30) == 0 && bytes > 0) return (bytes >> 30) + "GiB";
        if (bytes % (1L << 20) == 0 && bytes > 0) return (bytes >> 20) + "MiB";
        if (bytes % (1L << 10) == 0 && bytes > 0) return (bytes >> 10) + "KiB";
        return bytes + "B";
    }
}
