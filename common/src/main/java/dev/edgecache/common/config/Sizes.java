package dev.edgecache.common.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the config's sizes: {@code 512B}, {@code 64KiB}, {@code 256MiB}, {@code 1GiB} (binary units only). */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})(B|KiB|MiB|GiB)");

    private Sizes() {}

    /** @throws IllegalArgumentException naming the value and the accepted form */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size like 512B, 64KiB, 256MiB or 1GiB, got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2)) {
            case "B" -> 0;
            case "KiB" -> 10;
            case "MiB" -> 20;
            default -> 30;
        };
        if (Long.numberOfLeadingZeros(n) <= shift) {
            throw new IllegalArgumentException("size is too large: '" + text + "'");
        }
        return n << shift;
    }
}
