package dev.edgecache.common.http;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code Accept-Encoding} negotiation (RFC 9110 §12.5.3). Picks, among the codings a stored page has, the one
 * the reader accepts with the highest weight, preferring the server's order on ties; {@code identity} is
 * acceptable unless excluded ({@code identity;q=0}, or {@code *;q=0} without an {@code identity} entry), but
 * an identity that is only implicitly acceptable ranks below every coding the reader lists. No header means
 * no preference, and then identity is sent. When nothing is acceptable the edge disregards the header and
 * sends identity (§12.1 allows either that or 406). Stateless.
 */
public final class AcceptEncoding {
    public static final String IDENTITY = "identity";
    /** Weights in thousandths; an identity the header does not mention gets the smallest positive weight. */
    private static final int IMPLICIT_IDENTITY = 1;

    private static final Pattern QVALUE = Pattern.compile("0(\\.\\d{0,3})?|1(\\.0{0,3})?");

    private AcceptEncoding() {}

    /**
     * @param header the request's {@code Accept-Encoding}, or null when absent
     * @param codings the codings available besides identity, in the server's order of preference
     * @return one of {@code codings}, or {@link #IDENTITY}
     */
    public static String select(@Nullable String header, List<String> codings) {
        if (header == null || codings.isEmpty()) return IDENTITY;
        String best = IDENTITY;
        int bestWeight = weight(header, IDENTITY);
        for (String c : codings) {
            int w = weight(header, c);
            if (w > bestWeight || (w == bestWeight && w > 0 && best.equals(IDENTITY))) {
                best = c;
                bestWeight = w;
            }
        }
        return bestWeight > 0 ? best : IDENTITY;
    }

    /** True unless the header excludes identity (RFC 9110 §12.5.3). */
    public static boolean acceptsIdentity(@Nullable String header) {
        return header == null || weight(header, IDENTITY) > 0;
    }

    /** The weight (0..1000) {@code header} gives {@code coding}; a specific entry beats {@code *}. */
    static int weight(String header, String coding) {
        int specific = -1;
        int wildcard = -1;
        for (String element : header.split(",")) {
            String[] parts = element.split(";");
            String name = parts[0].trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) continue;
            if (name.equals("x-gzip")) name = "gzip"; // RFC 9110 §8.4.1.3
            int q = 1000;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                    q = qvalue(p.substring(2).trim());
                }
            }
            if (name.equals(coding)) specific = Math.max(specific, q);
            else if (name.equals("*")) wildcard = Math.max(wildcard, q);
        }
        if (specific >= 0) return specific;
        if (wildcard >= 0) return wildcard;
        return coding.equals(IDENTITY) ? IMPLICIT_IDENTITY : 0;
    }

    /** RFC 9110 §12.4.2: {@code 0[.ddd]} or {@code 1[.000]}; anything else counts as 0, so it never wins. */
    private static int qvalue(String s) {
        if (!QVALUE.matcher(s).matches()) return 0;
        if (s.charAt(0) == '1') return 1000;
        String frac = s.length() > 2 ? s.substring(2) : "";
        return frac.isEmpty() ? 0 : Integer.parseInt((frac + "00").substring(0, 3));
    }
}
