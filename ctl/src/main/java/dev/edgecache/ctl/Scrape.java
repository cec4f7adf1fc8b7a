package dev.edgecache.ctl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * One reading of the admin port's {@code GET /metrics} (Prometheus text format 0.0.4), parsed into samples. Only
 * what {@code ctl top} needs: names, labels and values; {@code # HELP}/{@code # TYPE} lines and timestamps are
 * skipped, and a line that does not parse is skipped too, so a meter added to the edge later never breaks
 * {@code ctl}. Immutable.
 */
final class Scrape {
    /** One line: {@code name{label="value",...} value}. */
    record Sample(String name, Map<String, String> labels, double value) {
        @Nullable
        String label(String key) {
            return labels.get(key);
        }
    }

    private final Map<String, List<Sample>> byName;

    private Scrape(Map<String, List<Sample>> byName) {
        this.byName = byName;
    }

    static Scrape parse(String text) {
        Map<String, List<Sample>> byName = new HashMap<>();
        for (String line : text.split("\n", -1)) {
            Sample s = parseLine(line.strip());
            if (s != null)
                byName.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(s);
        }
        byName.replaceAll((n, list) -> List.copyOf(list));
        return new Scrape(Map.copyOf(byName));
    }

    /** Every sample of {@code name}, in the order served; empty when the edge does not publish it. */
    List<Sample> samples(String name) {
        return byName.getOrDefault(name, List.of());
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    /** The sum of the samples of {@code name} whose labels pass {@code filter}; 0 when there are none. */
    double sum(String name, Predicate<Sample> filter) {
        double total = 0;
        for (Sample s : samples(name)) {
            if (filter.test(s)) total += s.value();
        }
        return total;
    }

    double sum(String name) {
        return sum(name, s -> true);
    }

    /** The samples of {@code name} whose label {@code key} equals {@code value}, summed. */
    double sum(String name, String key, String value) {
        return sum(name, s -> value.equals(s.label(key)));
    }

    private static @Nullable Sample parseLine(String line) {
        if (line.isEmpty() || line.startsWith("#")) return null;
        int i = 0;
        while (i < line.length() && isNameChar(line.charAt(i))) i++;
        if (i == 0) return null;
        String name = line.substring(0, i);
        Map<String, String> labels = new HashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = parseLabels(line, i + 1, labels);
            if (i < 0) return null;
        }
        String[] rest = line.substring(i).strip().split("\\s+");
        if (rest.length == 0 || rest[0].isEmpty()) return null;
        double value;
        try {
            value = parseValue(rest[0]);
        } catch (NumberFormatException e) {
            return null; // not a sample line we understand: skipped, see the class comment
        }
        return new Sample(name, Map.copyOf(labels), value);
    }

    /** Parses {@code k="v",...}} from {@code i}; returns the index after the closing brace, or -1. */
    private static int parseLabels(String line, int i, Map<String, String> labels) {
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '}') return i + 1;
            if (c == ',' || c == ' ') {
                i++;
                continue;
            }
            int keyStart = i;
            while (i < line.length() && isNameChar(line.charAt(i))) i++;
            if (i == keyStart || i + 1 >= line.length() || line.charAt(i) != '=' || line.charAt(i + 1) != '"') {
                return -1;
            }
            String key = line.substring(keyStart, i);
            i += 2;
            StringBuilder value = new StringBuilder();
            while (i < line.length() && line.charAt(i) != '"') {
                char v = line.charAt(i);
                if (v == '\\' && i + 1 < line.length()) {
                    char e = line.charAt(++i);
                    value.append(e == 'n' ? '\n' : e); // \\ and \" stand for themselves
                } else {
                    value.append(v);
                }
                i++;
            }
            if (i >= line.length()) return -1;
            labels.put(key, value.toString());
            i++; // the closing quote
        }
        return -1;
    }

    private static double parseValue(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private static boolean isNameChar(char c) {
        return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
