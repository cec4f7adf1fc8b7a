package dev.edgecache.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTableTest {
    @Test
    void columnsAreAlignedWithoutTrailingSpaces() {
        String table = TextTable.of()
                .row("ID", "STATE", "ACTIVE")
                .row("v10", "active", "*")
                .row("v9", "retained", "")
                .render();
        assertThat(table).isEqualTo("""
                ID   STATE     ACTIVE
                v10  active    *
                v9   retained
                """);
    }

    @Test
    void indentedTablesIndentEveryRow() {
        assertThat(TextTable.indented("  ")
                        .row("/a", "500")
                        .row("/bb", "timeout")
                        .render())
                .isEqualTo("  /a   500\n  /bb  timeout\n");
    }

    @Test
    void emptyTableRendersNothing() {
        assertThat(TextTable.of().render()).isEmpty();
    }
}
