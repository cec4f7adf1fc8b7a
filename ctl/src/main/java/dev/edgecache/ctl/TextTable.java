package dev.edgecache.ctl;

import java.util.ArrayList;
import java.util.List;

/**
 * Left-aligned columns separated by two spaces, with no trailing spaces, for tables and {@code key  value}
 * views. Not thread-safe; build, render, discard.
 */
final class TextTable {
    private static final String GAP = "  ";

    private final String indent;
    private final List<List<String>> rows = new ArrayList<>();

    private TextTable(String indent) {
        this.indent = indent;
    }

    static TextTable of() {
        return new TextTable("");
    }

    static TextTable indented(String indent) {
        return new TextTable(indent);
    }

    TextTable row(String... cells) {
        rows.add(List.of(cells));
        return this;
    }

    /** Every row ends with a newline; an empty table renders as the empty string. */
    String render() {
        List<Integer> widths = new ArrayList<>();
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                int w = row.get(c).length();
                if (c == widths.size()) widths.add(w);
                else widths.set(c, Math.max(widths.get(c), w));
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int c = 0; c < row.size(); c++) {
                String cell = row.get(c);
                line.append(cell);
                if (c < row.size() - 1)
                    line.append(" ".repeat(widths.get(c) - cell.length())).append(GAP);
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }
}
