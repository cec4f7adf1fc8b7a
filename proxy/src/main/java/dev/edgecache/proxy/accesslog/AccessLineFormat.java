package dev.edgecache.proxy.accesslog;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Formats {@link AccessEntry} lines: the combined log format, or one JSON object. Stateless. */
public final class AccessLineFormat {
    /** {@code [10/Oct/2000:13:55:36 +0000]}, as Apache and nginx write it, always in UTC. */
    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private AccessLineFormat() {}

    /**
     * The combined log format ({@code host - - [time] "request" status bytes "referer" "user-agent"}), which log tools
     * read, followed by the edge's own fields as {@code key=value}.
     */
    public static String combined(AccessEntry e) {
        return e.client() + " - - [" + CLF_TIME.format(Instant.ofEpochMilli(e.epochMillis())) + "] \""
                + clean(e.method()) + " " + clean(e.target()) + " HTTP/1.1\" " + e.status() + " "
                + (e.bytes() == 0 ? "-" : Long.toString(e.bytes())) + " \"" + quoted(e.referer()) + "\" \""
                + quoted(e.userAgent()) + "\" route=" + clean(e.route()) + " cache=" + e.outcome() + " deploy="
                + clean(e.deploy()) + " us=" + e.micros();
    }

    /** One JSON object on one line; time as an ISO-8601 instant. */
    public static String json(AccessEntry e) {
        StringBuilder b = new StringBuilder(256).append('{');
        field(b, "time", Instant.ofEpochMilli(e.epochMillis()).toString()).append(',');
        field(b, "client", e.client()).append(',');
        field(b, "method", e.method()).append(',');
        field(b, "target", e.target()).append(',');
        b.append("\"status\":").append(e.status()).append(',');
        b.append("\"bytes\":").append(e.bytes()).append(',');
        b.append("\"us\":").append(e.micros()).append(',');
        field(b, "route", e.route()).append(',');
        field(b, "cache", e.outcome()).append(',');
        field(b, "deploy", e.deploy());
        if (e.referer() != null) field(b.append(','), "referer", e.referer());
        if (e.userAgent() != null) field(b.append(','), "user-agent", e.userAgent());
        return b.append('}').toString();
    }

    private static StringBuilder field(StringBuilder b, String name, String value) {
        b.append('"').append(name).append("\":\"");
        JsonStringEncoder.getInstance().quoteAsString(value, b);
        return b.append('"');
    }

    /** A reader-supplied value inside double quotes: quotes and backslashes escaped, control characters dropped. */
    private static String quoted(@Nullable String value) {
        if (value == null) return "-";
        return clean(value).replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** No line breaks or other control characters from a reader can reach the log (log injection). */
    private static String clean(String value) {
        StringBuilder b = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (b == null) b = new StringBuilder(value.substring(0, i));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? value : b.toString();
    }
}
