package dev.edgecache.common.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parser of Structured Field Dictionaries (RFC 9651 §4.2.2), the syntax of targeted cache-control fields such as
 * {@code CDN-Cache-Control} (RFC 9213 §2.2). It keeps what a cache needs, each member's type and text, and drops
 * parameters (RFC 9213 §2.2: "Parameters received on directives are to be ignored"). Any syntax error makes the
 * whole field invalid, as RFC 9651 §4.2 requires. Stateless.
 */
final class StructuredDictionary {
    /** The type of a member's value (RFC 9651 §3.3). */
    enum Kind {
        INTEGER,
        DECIMAL,
        STRING,
        TOKEN,
        BYTES,
        BOOLEAN,
        DATE,
        DISPLAY_STRING,
        INNER_LIST
    }

    /**
     * @param kind the value's type
     * @param text the value: digits for numbers, the unescaped content of a string, {@code 1} or {@code 0} for a
     *     boolean, the source text otherwise
     */
    record Member(Kind kind, String text) {}

    private final String s;
    private int i;

    private StructuredDictionary(String s) {
        this.s = s;
    }

    /** The members of the field whose lines are {@code lines}, or empty when they are not a valid Dictionary. */
    static Optional<Map<String, Member>> parse(List<String> lines) {
        String joined = String.join(", ", lines);
        StructuredDictionary p = new StructuredDictionary(joined);
        try {
            return Optional.of(p.dictionary());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Map<String, Member> dictionary() {
        Map<String, Member> members = new LinkedHashMap<>();
        skipSpaces();
        if (end()) return members; // an empty field (RFC 9651 §4.2: empty is the absent field)
        while (true) {
            String key = key();
            Member value;
            if (!end() && peek() == '=') {
                i++;
                value = peek() == '(' ? innerList() : bareItem();
            } else {
                value = new Member(Kind.BOOLEAN, "1");
            }
            parameters();
            members.put(key, value); // a later duplicate overwrites (RFC 9651 §4.2.2)
            skipOptionalWhitespace();
            if (end()) return members;
            expect(',');
            skipOptionalWhitespace();
            if (end()) throw invalid("trailing comma");
        }
    }

    private String key() {
        if (end()) throw invalid("key expected");
        char c = peek();
        if (!(isLcAlpha(c) || c == '*')) throw invalid("bad key start");
        int start = i;
        while (!end() && isKeyChar(peek())) i++;
        return s.substring(start, i);
    }

    private void parameters() {
        while (!end() && peek() == ';') {
            i++;
            skipSpaces();
            key();
            if (!end() && peek() == '=') {
                i++;
                bareItem();
            }
        }
    }

    private Member innerList() {
        int start = i;
        expect('(');
        while (true) {
            skipSpaces();
            if (end()) throw invalid("unterminated inner list");
            if (peek() == ')') {
                i++;
                return new Member(Kind.INNER_LIST, s.substring(start, i));
            }
            bareItem();
            parameters();
            if (end()) throw invalid("unterminated inner list");
            if (peek() != ' ' && peek() != ')') throw invalid("inner list items are separated by spaces");
        }
    }

    private Member bareItem() {
        if (end()) throw invalid("value expected");
        char c = peek();
        if (c == '-' || isDigit(c)) return number();
        if (c == '"') return string();
        if (c == '*' || isAlpha(c)) return token();
        if (c == ':') return bytes();
        if (c == '?') return bool();
        if (c == '@') {
            i++;
            Member n = number();
            if (n.kind() != Kind.INTEGER) throw invalid("a date is an integer");
            return new Member(Kind.DATE, n.text());
        }
        if (c == '%') return displayString();
        throw invalid("unknown value type");
    }

    private Member number() {
        int start = i;
        if (peek() == '-') i++;
        int digits = 0;
        int dot = -1;
        while (!end() && (isDigit(peek()) || (peek() == '.' && dot < 0))) {
            if (peek() == '.') {
                if (digits > 12) throw invalid("decimal too long");
                dot = i;
            } else {
                digits++;
            }
            i++;
        }
        if (digits == 0) throw invalid("digits expected");
        if (dot < 0) {
            if (digits > 15) throw invalid("integer too long");
            return new Member(Kind.INTEGER, s.substring(start, i));
        }
        int fraction = i - dot - 1;
        if (fraction < 1 || fraction > 3) throw invalid("decimal needs 1 to 3 fraction digits");
        return new Member(Kind.DECIMAL, s.substring(start, i));
    }

    private Member string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (!end()) {
            char c = s.charAt(i++);
            if (c == '\\') {
                if (end()) throw invalid("dangling escape");
                char e = s.charAt(i++);
                if (e != '"' && e != '\\') throw invalid("bad escape");
                out.append(e);
            } else if (c == '"') {
                return new Member(Kind.STRING, out.toString());
            } else if (c < 0x20 || c > 0x7e) {
                throw invalid("bad string character");
            } else {
                out.append(c);
            }
        }
        throw invalid("unterminated string");
    }

    private Member token() {
        int start = i;
        i++;
        while (!end() && (isTchar(peek()) || peek() == ':' || peek() == '/')) i++;
        return new Member(Kind.TOKEN, s.substring(start, i));
    }

    private Member bytes() {
        int start = i;
        expect(':');
        while (!end() && peek() != ':') {
            char c = peek();
            if (!(isAlpha(c) || isDigit(c) || c == '+' || c == '/' || c == '=')) throw invalid("bad base64");
            i++;
        }
        expect(':');
        return new Member(Kind.BYTES, s.substring(start, i));
    }

    private Member bool() {
        expect('?');
        if (end() || (peek() != '0' && peek() != '1')) throw invalid("bad boolean");
        return new Member(Kind.BOOLEAN, String.valueOf(s.charAt(i++)));
    }

    private Member displayString() {
        int start = i;
        expect('%');
        expect('"');
        while (!end() && peek() != '"') {
            char c = s.charAt(i++);
            if (c < 0x20 || c > 0x7e) throw invalid("bad display string character");
        }
        expect('"');
        return new Member(Kind.DISPLAY_STRING, s.substring(start, i));
    }

    private void expect(char c) {
        if (end() || peek() != c) throw invalid("'" + c + "' expected");
        i++;
    }

    private void skipSpaces() {
        while (!end() && peek() == ' ') i++;
    }

    private void skipOptionalWhitespace() {
        while (!end() && (peek() == ' ' || peek() == '\t')) i++;
    }

    private boolean end() {
        return i >= s.length();
    }

    private char peek() {
        return s.charAt(i);
    }

    private IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException(why + " at " + i);
    }

    private static boolean isLcAlpha(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isAlpha(char c) {
        return isLcAlpha(c) || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isKeyChar(char c) {
        return isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*';
    }

    /** RFC 9110 §5.6.2 tchar. */
    private static boolean isTchar(char c) {
        return isAlpha(c) || isDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
