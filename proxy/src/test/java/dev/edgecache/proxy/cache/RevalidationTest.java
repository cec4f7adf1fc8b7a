package dev.edgecache.proxy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgecache.common.http.EntityTags;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import dev.edgecache.proxy.origin.OriginRequest;
import dev.edgecache.proxy.origin.OriginResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Validation with the origin (RFC 9111 §4.3). */
class RevalidationTest {
    private static final byte[] BODY = "body".getBytes(StandardCharsets.UTF_8);
    /** The tag the edge makes for {@link #BODY} when the origin sent none. */
    private static final String BODY_TAG = EntityTags.ofBody(BODY);

    private static final String LAST_MODIFIED = "Sun, 06 Nov 1994 08:49:37 GMT";

    private static final StoredEntry STORED = new StoredEntry(
            200,
            List.of(
                    new Header("Content-Type", "text/html"),
                    new Header("Cache-Control", "max-age=60"),
                    new Header("Last-Modified", LAST_MODIFIED),
                    new Header("Date", "old"),
                    new Header("ETag", "\"v1\"")),
            BODY,
            0,
            60_000,
            60_000,
            "\"v1\"",
            List.of("t1"),
            "v1",
            0);

    /** An entry as stored from an origin response with {@code originTag} as its ETag (none when null). */
    private static StoredEntry storedFrom(String originTag) {
        List<Header> h = new ArrayList<>(List.of(new Header("Last-Modified", LAST_MODIFIED)));
        if (originTag != null) h.add(new Header("ETag", originTag));
        return HttpCachePolicy.toEntry(new OriginResponse(200, h, BODY), "v1", 0, 0);
    }

    /** An entry stored before the origin's ETag was kept among the headers: only the tag itself. */
    private static StoredEntry storedBeforeTheHeaderWasKept(String etag) {
        return new StoredEntry(200, List.of(new Header("Date", "old")), BODY, 0, 1, 1, etag, List.of(), "v1", 0);
    }

    private static List<String> values(OriginRequest r, String name) {
        return r.headers().stream()
                .filter(h -> h.name().equalsIgnoreCase(name))
                .map(Header::value)
                .toList();
    }

    @Test
    void theRequestCarriesTheStoredValidators() { // RFC 9111 §4.3.1
        OriginRequest r = Revalidation.conditional(
                new OriginRequest("GET", "/a", List.of(new Header("If-None-Match", "\"client\"")), new byte[0]),
                STORED);
        assertThat(r.headers())
                .containsExactly(new Header("If-None-Match", "\"v1\""), new Header("If-Modified-Since", LAST_MODIFIED));
    }

    @ParameterizedTest(name = "origin ETag {0} → If-None-Match {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = { // RFC 9111 §4.3.1: the origin's own validator; RFC 9110 §13.1.2: it compares weakly
                "\"v1\"                     | \"v1\"",
                "W/\"v1\"                   | W/\"v1\"", // Express, nginx with gzip
                "\"WJG1tSLV3whtD_CxEPvZ0g\" | \"WJG1tSLV3whtD_CxEPvZ0g\"", // the origin's, though shaped like ours
                "-                          | -", // no tag of the origin's: the body tag is the edge's own
                "v1                         | -", // malformed: replaced by a body tag, which is not sent
            })
    void ifNoneMatchCarriesOnlyTheOriginsOwnTag(String originTag, String ifNoneMatch) {
        OriginRequest r =
                Revalidation.conditional(new OriginRequest("GET", "/a", List.of(), new byte[0]), storedFrom(originTag));
        assertThat(values(r, "If-None-Match"))
                .containsExactlyElementsOf(ifNoneMatch == null ? List.of() : List.of(ifNoneMatch));
        assertThat(values(r, "If-Modified-Since")).containsExactly(LAST_MODIFIED);
    }

    @Test
    void anEntryStoredBeforeTheOriginsEtagWasKeptIsRefreshedUnconditionally() {
        OriginRequest r = Revalidation.conditional(
                new OriginRequest("GET", "/a", List.of(), new byte[0]), storedBeforeTheHeaderWasKept("\"v1\""));
        assertThat(values(r, "If-None-Match")).as("whose tag it is is unknown").isEmpty();
    }

    @Test
    void a304UpdatesStoredFieldsButKeepsBodyStatusAndLength() { // RFC 9111 §3.2, §4.3.4
        OriginResponse merged = Revalidation.merge(
                STORED,
                new OriginResponse(
                        304,
                        List.of(
                                new Header("Cache-Control", "max-age=120"),
                                new Header("Date", "new"),
                                new Header("Content-Length", "0"),
                                new Header("Connection", "close")),
                        new byte[0]));
        assertThat(merged.status()).isEqualTo(200);
        assertThat(new String(merged.body(), StandardCharsets.UTF_8)).isEqualTo("body");
        assertThat(merged.headers("Cache-Control")).containsExactly("max-age=120");
        assertThat(merged.headers("Date")).containsExactly("new");
        assertThat(merged.headers("Content-Type")).containsExactly("text/html");
        assertThat(merged.headers("Content-Length")).isEmpty();
        assertThat(merged.headers("Connection")).isEmpty();
        assertThat(merged.headers("ETag")).containsExactly("\"v1\"");
        assertThat(merged.headers("Cache-Tag")).containsExactly("t1");
    }

    @ParameterizedTest(name = "stored {0}, 304 ETag {1} → tag {2}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = { // RFC 9111 §4.3.4: the stored response is updated with the 304's fields, ETag included
                "W/\"v1\" | W/\"v2\" | W/\"v2\"",
                "W/\"v1\" | \"v1\"   | \"v1\"",
                "\"v1\"   | W/\"v1\" | W/\"v1\"",
                "W/\"v1\" | -        | W/\"v1\"", // no new tag: the origin's is kept
                "-        | W/\"v2\" | W/\"v2\"",
                "-        | -        | BODY", // still none of the origin's: the edge's own tag, made again
            })
    void a304WithANewEtagUpdatesTheStoredTag(String storedTag, String notModifiedTag, String expected) {
        List<Header> h = new ArrayList<>(List.of(new Header("Date", "new")));
        if (notModifiedTag != null) h.add(new Header("ETag", notModifiedTag));
        OriginResponse merged = Revalidation.merge(storedFrom(storedTag), new OriginResponse(304, h, new byte[0]));
        StoredEntry updated = HttpCachePolicy.toEntry(merged, "v1", 1, 0);
        String want = expected.equals("BODY") ? BODY_TAG : expected;
        assertThat(updated.etag()).isEqualTo(want);
        assertThat(merged.headers("ETag"))
                .as("one ETag, and never one the edge made")
                .containsExactlyElementsOf(expected.equals("BODY") ? List.of() : List.of(want));
        assertThat(values(
                        Revalidation.conditional(new OriginRequest("GET", "/a", List.of(), new byte[0]), updated),
                        "If-None-Match"))
                .as("the next refresh")
                .containsExactlyElementsOf(expected.equals("BODY") ? List.of() : List.of(want));
    }

    /** 2026-01-01T00:10:00Z: when the 304 arrives, ten minutes after {@link #STORED_AT}. */
    private static final long NOW = 1_767_226_200_000L;

    private static final long STORED_AT = 1_767_225_600_000L;

    /** Stored at {@link #STORED_AT} with {@code max-age=1} and a header the 304s below update or keep. */
    private static StoredEntry storedAtStart() {
        return HttpCachePolicy.toEntry(
                new OriginResponse(
                        200,
                        List.of(
                                new Header("Date", "Thu, 01 Jan 2026 00:00:00 GMT"),
                                new Header("Cache-Control", "max-age=1"),
                                new Header("ETag", "\"v1\""),
                                new Header("Test-Header", "A"),
                                new Header("Content-Type", "text/plain")),
                        BODY),
                "v1",
                STORED_AT,
                0);
    }

    @ParameterizedTest(name = "{0}: 304 [{1}] → fresh for {2}s, Age {3}, Test-Header {4}")
    @CsvSource(
            delimiter = '|',
            value = {
                "RFC 9111 §4.3.4 freshness comes from the 304 | Date: Thu, 01 Jan 2026 00:10:00 GMT; Cache-Control: max-age=3600 | 3600 | 0 | A",
                "RFC 9111 §3.2 a field the 304 sends is replaced | Date: Thu, 01 Jan 2026 00:10:00 GMT; Cache-Control: max-age=60; Test-Header: B | 60 | 0 | B",
                "RFC 9111 §4.2.3 the 304's Age counts | Date: Thu, 01 Jan 2026 00:10:00 GMT; Cache-Control: max-age=60; Age: 20 | 40 | 20 | A",
                "RFC 9110 §6.6.1 a 304 without Date is dated on receipt, not by the old Date | Cache-Control: max-age=60 | 60 | 0 | A",
                "RFC 9111 §3.2 Content-Length is never updated | Date: Thu, 01 Jan 2026 00:10:00 GMT; Cache-Control: max-age=60; Content-Length: 10 | 60 | 0 | A",
            })
    void a304FreshensTheStoredResponse(String rule, String fields, long freshSeconds, long age, String testHeader) {
        List<Header> h = new ArrayList<>();
        for (String f : fields.split(";")) {
            int colon = f.indexOf(':');
            h.add(new Header(
                    f.substring(0, colon).strip(), f.substring(colon + 1).strip()));
        }
        OriginResponse merged = Revalidation.merge(storedAtStart(), new OriginResponse(304, h, new byte[0]));
        StoredEntry updated = HttpCachePolicy.toEntry(merged, "v1", NOW, 0);
        assertThat(updated.expiresAtMillis() - NOW).as(rule).isEqualTo(freshSeconds * 1000);
        assertThat(updated.ageSecondsAt(NOW)).as(rule).isEqualTo(age);
        assertThat(updated.header("Test-Header")).as(rule).isEqualTo(testHeader);
        assertThat(updated.header("Content-Type"))
                .as(rule + ": a field the 304 omits is kept")
                .isEqualTo("text/plain");
        assertThat(updated.header("Content-Length")).as(rule).isNull();
        assertThat(new String(updated.body(), StandardCharsets.UTF_8)).isEqualTo("body");
    }
}
