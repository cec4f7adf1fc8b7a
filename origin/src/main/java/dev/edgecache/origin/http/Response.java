package dev.edgecache.origin.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One HTTP response: status, headers in order, and the whole body. Immutable; {@link #withHeader} returns a copy.
 */
public record Response(int status, List<HeaderField> headers, byte[] body) {
    public static final String HTML = "text/html; charset=utf-8";
    public static final String JSON = "application/json";
    public static final String PRIVATE = "private, no-store";
    public static final String NO_STORE = "no-store";

    public Response {
        headers = List.copyOf(headers);
    }

    public static Response of(int status, String contentType, byte[] body) {
        return new Response(status, List.of(new HeaderField("Content-Type", contentType)), body);
    }

    public static Response text(int status, String text) {
        return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8))
                .withHeader("Cache-Control", NO_STORE);
    }

    /** A private HTML page: never stored by the edge or the browser. */
    public static Response privateHtml(int status, String html) {
        return of(status, HTML, html.getBytes(StandardCharsets.UTF_8)).withHeader("Cache-Control", PRIVATE);
    }

    /** 303 See Other, the answer to a successful form POST. */
    public static Response seeOther(String location) {
        return new Response(
                303,
                List.of(new HeaderField("Location", location), new HeaderField("Cache-Control", PRIVATE)),
                new byte[0]);
    }

    public static Response empty(int status) {
        return new Response(status, List.of(new HeaderField("Cache-Control", NO_STORE)), new byte[0]);
    }

    public Response withHeader(String name, String value) {
        List<HeaderField> copy = new ArrayList<>(headers);
        copy.add(new HeaderField(name, value));
        return new Response(status, copy, body);
    }

    public Optional<String> header(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return headers.stream()
                .filter(h -> h.name().toLowerCase(Locale.ROOT).equals(lower))
                .map(HeaderField::value)
                .findFirst();
    }

    public List<String> headerValues(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return headers.stream()
                .filter(h -> h.name().toLowerCase(Locale.ROOT).equals(lower))
                .map(HeaderField::value)
                .toList();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** A response header. */
    public record HeaderField(String name, String value) {
        public HeaderField {
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + name + " must not contain CR or LF");
            }
        }
    }
}
