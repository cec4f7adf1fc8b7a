package dev.edgecache.proxy.cache;

import dev.edgecache.common.key.CacheKey;
import dev.edgecache.common.store.EntryKey;
import dev.edgecache.common.store.Header;
import dev.edgecache.common.store.StoredEntry;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code Vary} on http routes (RFC 9111 §4.1): secondary keys from the selecting request fields.
 *
 * <p>Layout. A response without {@code Vary} is stored under its primary key, as on every other route, so a hit
 * stays one memory-tier lookup. A response that varies is stored under a <em>variant key</em>, the primary target
 * plus U+001F and a hash of the selecting values, and the primary key holds a small <em>index</em> entry (never
 * served) naming the selecting fields and the variants in least-recently-stored order, so that the route's {@code
 * max-variants} bound can evict the oldest. Variant keys extend the primary target, so prefix purges cover them,
 * and {@link #prefixOf} finds them for URL purges.
 *
 * <p>Any field the origin names selects, with one exception: {@code Accept-Encoding}, which the edge negotiates
 * itself from identity bodies and never forwards on cacheable routes (issue 5), so that every request as forwarded
 * lacks it and keying on it would only cost an index lookup on every hit (VariantsTest checks that it stays
 * behind). Selecting values are taken from the request <em>as forwarded</em>: the origin answered that request, so
 * a field the edge does not forward cannot have selected anything and is absent for every reader alike, and a
 * value the edge trimmed or cut before forwarding is compared as the origin saw it. {@link SelectingValues} normalises
 * each value as §4.1 allows. The secondary key is a SHA-256 over an unambiguous encoding of the fields and their
 * normalised values (length-prefixed, absent distinct from empty): two requests share a variant only when their
 * normalised selecting values are equal, up to a SHA-256 collision. Stateless.
 */
public final class Variants {
    static final char SEP = '\u001F';
    /** Internal field of an index entry: the variant hashes, oldest first. Never replayed (index entries are not served). */
    static final String INDEX_HEADER = "Edge-Variant-Index";

    static final String INDEX_ETAG = "\"edge-variant-index\"";

    private static final Pattern FIELD_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private Variants() {}

    /**
     * Selecting fields the edge leaves out of secondary keys: requests are never forwarded with them, so they are
     * absent from every request the origin sees.
     */
    static final Set<String> EDGE_NEGOTIATED = Set.of("accept-encoding");

    /**
     * The selecting fields of a response: every field name its {@code Vary} lines list (RFC 9110 §12.5.5),
     * lower-case, sorted, without duplicates and without {@link #EDGE_NEGOTIATED} ones. Call only for a response
     * that is stored, so never for a {@code Vary} with {@code *} ({@link #neverMatches}).
     */
    public static List<String> selectingFields(List<String> varyValues) {
        TreeSet<String> fields = new TreeSet<>();
        for (String v : varyValues) {
            for (String f : v.split(",")) {
                String name = SelectingValues.trim(f).toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !EDGE_NEGOTIATED.contains(name)) fields.add(name);
            }
        }
        return List.copyOf(fields);
    }

    /**
     * Whether a response with these {@code Vary} lines can never be reused (RFC 9111 §4.1): one element is
     * {@code *}, which "always fails to match", or is not a field name (a token, RFC 9110 §5.1), so that what the
     * origin varies on is unknown.
     */
    public static boolean neverMatches(List<String> varyValues) {
        for (String v : varyValues) {
            for (String f : v.split(",", -1)) {
                String name = SelectingValues.trim(f);
                if (name.isEmpty()) continue; // empty list elements are allowed (RFC 9110 §5.6.1)
                if (!FIELD_NAME.matcher(name).matches() || name.equals("*")) return true;
            }
        }
        return false;
    }

    /**
     * The secondary key of {@code request} for {@code fields}: 43 characters of base64url, the SHA-256 of each
     * field's name and normalised value, or the mark of its absence.
     */
    public static String secondary(List<String> fields, List<Header> request) {
        MessageDigest sha = sha256();
        putInt(sha, fields.size());
        for (String f : fields) {
            List<String> lines = new ArrayList<>(1);
            for (Header h : request) {
                if (h.name().equalsIgnoreCase(f)) lines.add(h.value());
            }
            putString(sha, f);
            if (lines.isEmpty()) {
                putInt(sha, -1); // absent only matches absent (§4.1), never an empty value
                continue;
            }
            List<String> parts = SelectingValues.of(f, lines);
            putInt(sha, parts.size());
            for (String p : parts) putString(sha, p);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static void putInt(MessageDigest sha, int v) {
        sha.update((byte) (v >>> 24));
        sha.update((byte) (v >>> 16));
        sha.update((byte) (v >>> 8));
        sha.update((byte) v);
    }

    /** Length, then two bytes per UTF-16 unit: injective for every string, whatever characters it holds. */
    private static void putString(MessageDigest sha, String s) {
        putInt(sha, s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sha.update((byte) (c >>> 8));
            sha.update((byte) c);
        }
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
