package dev.edgecache.ctl;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The answer of {@code GET /deploys}. */
record DeployList(List<Deploy> deploys) {
    /** One retained deploy; {@code pagesEstimated}: a large deploy's count is RocksDB's estimate. */
    record Deploy(
            String id,
            String state,
            long pages,
            boolean active,
            @JsonProperty("pages-estimated") boolean pagesEstimated) {}

    DeployList(@Nullable List<Deploy> deploys) {
        this.deploys = deploys == null ? List.of() : List.copyOf(deploys);
    }

    /** A table with the active deploy marked, in the server's order (it knows which is newest). */
    String table() {
        if (deploys.isEmpty()) return "no deploys\n";
        TextTable table = TextTable.of().row("ID", "STATE", "PAGES", "ACTIVE");
        deploys.forEach(
                d -> table.row(d.id(), d.state(), (d.pagesEstimated() ? "~" : "") + d.pages(), d.active() ? "*" : ""));
        return table.render();
    }
}
