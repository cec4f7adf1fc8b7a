package dev.edgecache.ctl;

import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** {@link KeyInfo} as {@code key  value} lines, for {@code ctl inspect}. */
final class KeyInfoView {
    private KeyInfoView() {}

    static String render(KeyInfo info) {
        TextTable table = TextTable.of()
                .row("url", info.url())
                .row("deploy", orDash(info.deploy()))
                .row("status", Integer.toString(info.status()))
                .row("state", orDash(info.state()))
                .row("stored-at", time(info.storedAt(), "-"))
                // persistent pages have no expiry: they live until the next deploy or a purge
                .row("expires-at", time(info.expiresAt(), "never (until the next deploy or a purge)"));
        // only ttl routes with stale-while-revalidate / stale-if-error have one
        if (info.staleUntil() != null) table.row("stale-until", time(info.staleUntil(), "-"));
        return table.row("tags", info.tags().isEmpty() ? "-" : String.join(", ", info.tags()))
                .row("size", size(info.size()))
                .row("etag", orDash(info.etag()))
                .render();
    }

    /** Epoch milliseconds (all digits) become ISO-8601 UTC; anything else is the server's own text. */
    static String time(@Nullable String value, String absent) {
        if (value == null || value.isBlank()) return absent;
        if (value.chars().allMatch(Character::isDigit) && value.length() <= 15) {
            return Instant.ofEpochMilli(Long.parseLong(value)).toString();
        }
        return value;
    }

    static String size(long bytes) {
        if (bytes < 1024) return Plural.of(bytes, "byte");
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s (%d bytes)", value, units[unit], bytes);
    }

    private static String orDash(@Nullable String value) {
        return value == null || value.isBlank() ? "-" : value;
    }
}
