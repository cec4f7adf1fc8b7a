package dev.edgecache.ctl;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** The answer of {@code GET /cluster}: the node that answered and the live members. */
record ClusterView(String node, List<Member> members) {
    /** One live member as its heartbeat describes it. */
    record Member(String id, String peer, String deploy, String position, long lag, String seen) {}

    ClusterView(@Nullable String node, @Nullable List<Member> members) {
        this.node = node == null ? "?" : node;
        this.members = members == null ? List.of() : List.copyOf(members);
    }

    /** A table, the answering node marked with {@code *}. */
    String table() {
        if (members.isEmpty()) return "no live members (asked " + node + ")\n";
        TextTable table = TextTable.of().row("NODE", "PEER", "DEPLOY", "POSITION", "LAG", "SEEN");
        for (Member m : members) {
            table.row(
                    m.id() + (m.id().equals(node) ? " *" : ""),
                    m.peer(),
                    m.deploy(),
                    m.position(),
                    Long.toString(m.lag()),
                    m.seen());
        }
        return table.render();
    }
}
