package dev.edgecache.proxy.cache;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The value of one selecting field of a request (RFC 9111 §4.1), normalised so that two requests match when the
 * field's own definition says their values mean the same, and never otherwise. §4.1 allows three things, and each
 * is applied only where the field's syntax or definition makes it safe:
 *
 * <ul>
 *   <li><b>Combining lines</b> (RFC 9110 §5.3): the lines of a list field are one list, so {@code Foo: 1} plus
 *       {@code Foo: 2} matches {@code Foo: 1, 2}. A field that is not a list ({@code User-Agent}, {@code Cookie},
 *       {@code Authorization}, {@code Origin}...) keeps its lines apart: a second line is malformed there, and two
 *       lines must not match one line that happens to contain a comma.
 *   <li><b>Whitespace</b>: leading and trailing whitespace is never part of a value (§5.5), and in a list the
 *       whitespace around the commas is not either (§5.6.1). Commas inside a quoted string are not delimiters and
 *       quoted strings are kept byte for byte. Whitespace inside an element is kept, except where the field's
 *       grammar allows it (around {@code ;} of parameters, §5.6.6).
 *   <li><b>Equal semantics</b>, for the fields whose definition we know: the content negotiation fields. {@code
 *       Accept} (§12.5.1): type, subtype and parameter names are case-insensitive (§8.3.1, §5.6.6), parameter
 *       values are kept as sent. {@code Accept-Language} (§12.5.4): language ranges are case-insensitive (RFC 4647
 *       §2). {@code Accept-Encoding} (§12.5.3) and {@code Accept-Charset} (§12.5.2): codings and charsets are
 *       case-insensitive tokens (§8.4.1, §8.3.2), {@code x-gzip} is {@code gzip} and {@code x-compress} is {@code
 *       compress} (§8.4.1.1, §8.4.1.3). In all four, empty list elements are ignored (§5.6.1), a weight is written
 *       canonically ({@code q=1.000} is no weight, {@code q=0.50} is {@code q=0.5}; §12.4.2), and elements are
 *       sorted by weight, highest first, with a stable sort: the order of elements of <em>different</em> weight
 *       carries no meaning, but the order of elements of <em>equal</em> weight does in practice (RFC 3282 §3;
 *       common server frameworks prefer the first), so it is kept. An element these rules cannot parse leaves the
 *       whole field to the generic list rules.
 * </ul>
 *
 * <p>Deliberately not normalised: the case of {@code Origin}. Scheme and host are case-insensitive, but CORS
 * origins commonly echo {@code Origin} into {@code Access-Control-Allow-Origin}, and browsers compare that
 * byte for byte: one request with {@code Origin: HTTPS://SITE.EXAMPLE} could otherwise store an answer that fails
 * every browser's CORS check (a cache-poisoning denial of service). Fields the edge does not know are lists as far
 * as whitespace and line combining go, and nothing more. Stateless.
 */
final class SelectingValues {
    /** Request fields that are not lists (RFC 9110 §5.3): their lines are never combined. */
    private static final Set<String> SINGLETONS = Set.of(
            "authorization",
            "proxy-authorization",
            "cookie",
            "user-agent",
            "referer",
            "origin",
            "from",
            "host",
            "date",
            "if-modified-since",
            "if-unmodified-since",
            "if-range",
            "range",
            "content-type",
            "content-length",
            "max-forwards");

    private enum Kind {
        MEDIA_RANGES,
        LANGUAGE_RANGES,
        TOKENS
    }

    private static final Map<String, Kind> WEIGHTED = Map.of(
            "accept", Kind.MEDIA_RANGES,
            "accept-language", Kind.LANGUAGE_RANGES,
            "accept-encoding", Kind.TOKENS,
            "accept-charset", Kind.TOKENS);

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern MEDIA_RANGE = Pattern.compile(TOKEN.pattern() + "/" + TOKEN.pattern());
    /** RFC 4647 §2.1 language-range, as RFC 9110 §12.5.4 uses it. */
    private static final Pattern LANGUAGE_RANGE = Pattern.compile("\\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*");

    private static final Pattern QVALUE = Pattern.compile("0(\\.\\d{0,3})?|1(\\.0{0,3})?");
    private static final int NO_WEIGHT = 1000;

    private SelectingValues() {}

    /**
     * The normalised parts of field {@code name}: the elements of a list field, the lines of a field that is not a
     * list. Two requests match on the field when these lists are equal. Empty when the field is present with no
     * element; callers represent an absent field otherwise (§4.1: absent only matches absent).
     *
     * @param name the field name, lower case
     * @param lines the field's lines in the order received; not empty
     */
    static List<String> of(String name, List<String> lines) {
        if (SINGLETONS.contains(name)) {
            List<String> out = new ArrayList<>(lines.size());
            for (String l : lines) out.add(trim(l));
            return out;
        }
        List<String> elements = elements(lines);
        Kind kind = WEIGHTED.get(name);
        if (kind != null) {
            List<String> weighted = weighted(kind, name, elements);
            if (weighted != null) return weighted;
        }
        return elements;
    }

    /**
     * The one field line that carries exactly the normalised value of a list field: its parts of {@link #of} joined
     * with {@code ", "}. Forwarding this instead of the reader's lines makes the bytes the origin sees a function of
     * the secondary key, so an origin that compares case or whitespace where RFC 9110 says it must not (a
     * hand-written {@code accept.contains("application/json")}) still renders one page per variant, and a reader
     * cannot store a differently rendered page under the key other readers use. Idempotent, and {@link #of} of the
     * result equals {@link #of} of the lines. Null for a field that is not a list: its lines are forwarded as they
     * are (trimmed), since only a list may be combined.
     */
    static @Nullable String canonical(String name, List<String> lines) {
        return SINGLETONS.contains(name) ? null : String.join(", ", of(name, lines));
    }

    /** The list elements of {@code lines} combined (§5.3), each without surrounding whitespace (§5.6.1). */
    static List<String> elements(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            for (String e : split(line, ',')) out.add(trim(e));
        }
        return out;
    }

    /** A weighted element, parsed: its canonical text without the weight, and the weight in thousandths. */
    private record Weighted(String value, int weight) {
        String text() {
            return weight == NO_WEIGHT ? value : value + ";q=" + qvalue(weight);
        }
    }

    /** The elements of a content negotiation field, canonical and sorted; null when one does not parse. */
    private static @Nullable List<String> weighted(Kind kind, String name, List<String> elements) {
        List<Weighted> parsed = new ArrayList<>(elements.size());
        for (String e : elements) {
            if (e.isEmpty()) continue; // §5.6.1
            Weighted w = parse(kind, name, e);
            if (w == null) return null;
            parsed.add(w);
        }
        parsed.sort(Comparator.comparingInt(Weighted::weight).reversed()); // stable: equal weights keep their order
        List<String> out = new ArrayList<>(parsed.size());
        for (Weighted w : parsed) out.add(w.text());
        return out;
    }

    private static @Nullable Weighted parse(Kind kind, String name, String element) {
        List<String> parts = split(element, ';');
        String head = trim(parts.get(0));
        StringBuilder value = new StringBuilder();
        switch (kind) {
            case MEDIA_RANGES -> {
                if (!MEDIA_RANGE.matcher(head).matches()) return null;
            }
            case LANGUAGE_RANGES -> {
                if (!LANGUAGE_RANGE.matcher(head).matches()) return null;
            }
            case TOKENS -> {
                if (!TOKEN.matcher(head).matches()) return null;
            }
        }
        String lower = head.toLowerCase(Locale.ROOT);
        if (name.equals("accept-encoding") && (lower.equals("x-gzip") || lower.equals("x-compress"))) {
            lower = lower.substring(2);
        }
        value.append(lower);
        int weight = NO_WEIGHT;
        boolean weighted = false;
        for (int i = 1; i < parts.size(); i++) {
            String p = trim(parts.get(i));
            if (p.isEmpty()) continue; // parameters = *( OWS ";" OWS [ parameter ] ), §5.6.6
            int eq = p.indexOf('=');
            if (eq <= 0) return null;
            String pname = p.substring(0, eq);
            String pvalue = p.substring(eq + 1);
            if (!TOKEN.matcher(pname).matches() || pvalue.isEmpty()) return null;
            pname = pname.toLowerCase(Locale.ROOT);
            if (pname.equals("q") && !weighted) {
                if (!QVALUE.matcher(pvalue).matches()) return null;
                weight = thousandths(pvalue);
                weighted = true;
            } else if (kind == Kind.MEDIA_RANGES) {
                // a media type parameter, kept in place; nothing may follow the weight in RFC 9110 §12.5.1
                // (RFC 7231's accept-ext is gone), so such an element is left to the generic rules
                if (weighted) return null;
                value.append(';').append(pname).append('=').append(pvalue);
            } else {
                return null; // these fields take no parameter but the weight
            }
        }
        return new Weighted(value.toString(), weight);
    }

    /** RFC 9110 §12.4.2 qvalue to thousandths; the pattern has been checked. */
    private static int thousandths(String q) {
        if (q.charAt(0) == '1') return 1000;
        String frac = q.length() > 2 ? q.substring(2) : "";
        return Integer.parseInt((frac + "000").substring(0, 3));
    }

    private static String qvalue(int thousandths) {
        if (thousandths == 0) return "0";
        String frac = String.format(Locale.ROOT, "%03d", thousandths);
        int end = frac.length();
        while (frac.charAt(end - 1) == '0') end--;
        return "0." + frac.substring(0, end);
    }

    /** {@code s} split at {@code delimiter} outside quoted strings (§5.6.4, backslash escapes included). */
    static List<String> split(String s, char delimiter) {
        List<String> out = new ArrayList<>(4);
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') {
                i++; // quoted-pair: the next character is literal
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == delimiter) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

    /** Without leading and trailing OWS (SP and HTAB, §5.6.3); other characters are kept. */
    static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isOws(s.charAt(start))) start++;
        while (end > start && isOws(s.charAt(end - 1))) end--;
        return s.substring(start, end);
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
