package dev.edgecache.proxy.cache;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * {@code Vary} on http routes (RFC 9111 §4.1): secondary keys from the selecting request fields.
 *
 * <p>Layout. A response without {@code Vary} (or varying only on fields the edge never forwards) is stored under
 * its primary key, as on every other route, so a hit stays one memory-tier lookup. A response that varies is stored
 * under a <em>variant key</em>, the primary target plus U+001F and a hash of the selecting values, and
 * the primary key holds a small <em>index</em> entry (never served) naming the selecting fields and the variants in
 * least-recently-stored order, so that the route's {@code max-variants} bound can evict the oldest. Variant keys
 * extend the primary target, so prefix purges cover them, and {@link #prefixOf} finds them for URL purges.
 *
 * <p>Selecting values are taken from the request <em>as forwarded</em> ({@link OriginRequests#forHttp}): the origin
 * only saw those, so a field the edge never forwards (Cookie, Accept-Encoding...) cannot select a variant and is
 * left out of the key. Values are normalised as §4.1 allows: lines combined, whitespace around commas removed.
 * Stateless.
 */
public final class Variants {
    static final char SEP = '\u001F';
    /** Internal field of an index entry: the variant hashes, oldest first. Never replayed (index entries are not served). */
    static final String INDEX_HEADER = "Edge-Variant-Index";

    static final String INDEX_ETAG = "\"edge-variant-index\"";

    private Variants() {}

    /** The selecting fields of a response: lower-case, sorted, limited to fields the edge forwards on http routes. */
    public static List<String> selectingFields(List<String> varyValues) {
        TreeSet<String> fields = new TreeSet<>();
        for (String v : varyValues) {
            for (String f : v.split(",")) {
                String name = f.trim().toLowerCase(Locale.ROOT);
                if (OriginRequests.HTTP_FORWARDED.contains(name)) fields.add(name);
            }
        }
        return List.copyOf(fields);
    }

    /** The secondary key of {@code request} for {@code fields}: a hash of their normalised values. */
    public static String secondary(List<String> fields, List<Header> request) {
        StringBuilder sb = new StringBuilder();
        for (String f : fields) {
            List<String> lines = new ArrayList<>(1);
            for (Header h : request) {
                if (h.name().equalsIgnoreCase(f)) lines.add(h.value());
            }
            sb.append(f)
                    .append(lines.isEmpty() ? "\u0000" : ":" + normalise(String.join(",", lines)))
                    .append('\n');
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(d, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    static String normalise(String value) {
        return value.trim().replaceAll("\\s*,\\s*", ",").replaceAll("\\s+", " ");
    }

    /** Where the variant {@code secondary} of {@code primary} is stored. */
    public static EntryKey variantKey(EntryKey primary, String secondary) {
        CacheKey k = primary.key();
        return new EntryKey(primary.deploy(), new CacheKey(k.path(), k.query() + SEP + secondary));
    }

    /** The target prefix shared by every variant of {@code primary}. */
    public static String prefixOf(CacheKey primary) {
        return new CacheKey(primary.path(), primary.query() + SEP).target();
    }

    /** The primary target of a key, variant or not (for purge matching). */
    public static String primaryTarget(CacheKey key) {
        int sep = key.query().indexOf(SEP);
        return sep < 0 ? key.target() : new CacheKey(key.path(), key.query().substring(0, sep)).target();
    }

    /** The primary key of a key, variant or not. */
    public static EntryKey primaryOf(EntryKey key) {
        int sep = key.key().query().indexOf(SEP);
        return sep < 0
                ? key
                : new EntryKey(
                        key.deploy(),
                        new CacheKey(key.key().path(), key.key().query().substring(0, sep)));
    }

    /** Cheap on the hit path: an entity-tag comparison that fails at once for every ordinary entry. */
    public static boolean isIndex(StoredEntry e) {
        return e.etag().equals(INDEX_ETAG) && e.header(INDEX_HEADER) != null;
    }

    /** The selecting fields an index entry records. */
    public static List<String> fieldsOf(StoredEntry index) {
        String vary = index.header("Vary");
        return vary == null ? List.of() : selectingFields(List.of(vary));
    }

    /** The variant hashes an index entry records, oldest first. */
    static List<String> variantsOf(@Nullable StoredEntry index) {
        if (index == null || !isIndex(index)) return List.of();
        String v = index.header(INDEX_HEADER);
        return v == null || v.isBlank() ? List.of() : List.of(v.trim().split(" "));
    }

    /** An index entry for {@code fields} listing {@code variants}, oldest first. */
    static StoredEntry index(
            List<String> fields, List<String> variants, String deploy, long nowMillis, long purgeSequence) {
        List<Header> headers = List.of(
                new Header("Vary", String.join(", ", fields)), new Header(INDEX_HEADER, String.join(" ", variants)));
        return new StoredEntry(
                200,
                headers,
                new byte[0],
                nowMillis,
                StoredEntry.NEVER,
                StoredEntry.NEVER,
                INDEX_ETAG,
                List.of(),
                deploy,
                purgeSequence);
    }
}
