package dev.edgecache.proxy.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory tier's shared metadata: equal parts become one object, and nothing is ever changed by sharing. */
class RecurringTest {
    /** A page's metadata as decoding makes it: every string and list a fresh object. */
    private static StoredEntry decoded(String etag, String lastModified) {
        List<Header> headers = new ArrayList<>();
        headers.add(new Header(fresh("Content-Type"), fresh("text/html; charset=utf-8")));
        headers.add(new Header(fresh("Last-Modified"), fresh(lastModified)));
        return new StoredEntry(
                200,
                headers,
                new byte[0],
                1_000,
                StoredEntry.NEVER,
                StoredEntry.NEVER,
                etag,
                List.of(fresh("user:alice"), fresh("post:" + etag)),
                fresh("v1"),
                0);
    }

    private static String fresh(String s) {
        return new String(s.toCharArray());
    }

    @Test
    void pagesWithTheSameHeadersShareOneListOfThem() {
        Recurring table = new Recurring();
        StoredEntry a = table.share(decoded("\"a\"", "Sat, 05 Dec 2026 10:00:00 GMT"));
        StoredEntry b = table.share(decoded("\"b\"", "Sat, 05 Dec 2026 10:00:00 GMT"));
        assertThat(b.headers()).isSameAs(a.headers());
        assertThat(b.deploy()).isSameAs(a.deploy());
    }

    @Test
    void pagesWithOneDifferentHeaderShareTheOthersFieldByField() {
        Recurring table = new Recurring();
        StoredEntry a = table.share(decoded("\"a\"", "Sat, 05 Dec 2026 10:00:00 GMT"));
        StoredEntry b = table.share(decoded("\"b\"", "Sun, 06 Dec 2026 10:00:00 GMT"));
        assertThat(b.headers()).isNotSameAs(a.headers());
        assertThat(b.headers().get(0)).isSameAs(a.headers().get(0));
        assertThat(b.headers().get(1).name()).isSameAs(a.headers().get(1).name());
        assertThat(b.tags().get(0)).isSameAs(a.tags().get(0)); // the user's tag; each post's own differs
        assertThat(b.tags().get(1)).isEqualTo("post:\"b\"");
    }

    @Test
    void sharingNeverChangesAnEntry() {
        Recurring table = new Recurring();
        for (int i = 0; i < 10_000; i++) { // enough distinct values to collide in every slot
            StoredEntry e = decoded("\"" + i + "\"", "day " + (i % 97));
            assertThat(table.share(e)).isEqualTo(e);
        }
    }

    @Test
    void longStringsAreNotKept() {
        Recurring table = new Recurring();
        String first = "x".repeat(Recurring.MAX_STRING + 1);
        assertThat(table.string(fresh(first))).isNotSameAs(table.string(fresh(first)));
        String shortOne = "y".repeat(Recurring.MAX_STRING);
        assertThat(table.string(fresh(shortOne))).isSameAs(table.string(fresh(shortOne)));
    }
}
