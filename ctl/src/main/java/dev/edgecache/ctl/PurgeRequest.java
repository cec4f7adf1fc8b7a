package dev.edgecache.ctl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The body of {@code POST /purge}: one kind of selector, and the {@code soft} and {@code dry-run} flags. */
record PurgeRequest(Kind kind, List<String> values, boolean soft, boolean dryRun) {
    /** What a purge selects by; the field name is the admin API's. */
    enum Kind {
        URLS("urls"),
        PREFIXES("prefixes"),
        TAGS("tags"),
        ALL("all");

        final String field;

        Kind(String field) {
            this.field = field;
        }
    }

    PurgeRequest {
        requireNonNull(kind, "kind");
        values = List.copyOf(values);
        if (kind == Kind.ALL != values.isEmpty()) {
            throw new IllegalArgumentException(
                    kind + " purge must have " + (kind == Kind.ALL ? "no" : "some") + " values, got " + values);
        }
    }

    static PurgeRequest all(boolean soft, boolean dryRun) {
        return new PurgeRequest(Kind.ALL, List.of(), soft, dryRun);
    }

    ObjectNode toJson() {
        ObjectNode body = Json.object();
        if (kind == Kind.ALL) {
            body.put(kind.field, true);
        } else {
            ArrayNode array = body.putArray(kind.field);
            values.forEach(array::add);
        }
        // only sent when set, so the body stays exactly what the operator asked for
        if (soft) body.put("soft", true);
        if (dryRun) body.put("dry-run", true);
        return body;
    }
}
