package dev.edgecache.proxy.pipeline;

import dev.edgecache.common.key.KeyRules;
import dev.edgecache.proxy.metrics.Outcome;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The HTML pages readers get when the origin cannot answer (502, 503, 504; issue 10): a built-in page, or the
 * operator's file per site ({@code error-pages}), read once at start. {@code {{status}}}, {@code {{reason}}} and
 * {@code {{message}}} in a page are replaced. The page says nothing of the cause: that is in {@code Cache-Status} and
 * the log. Never stored ({@code Cache-Control: no-store}). Immutable and thread-safe.
 */
public final class ErrorPages {
    private static final String BUILT_IN = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{status}} {{reason}}</title>
            <style>body{font:17px/1.55 system-ui,sans-serif;max-width:34rem;margin:18vh auto;padding:0 1.2rem;\
            color:#222}h1{font-size:1.4rem;margin-bottom:.4rem}p{color:#555}</style>
            </head>
            <body>
            <h1>{{status}} {{reason}}</h1>
            <p>{{message}}</p>
            </body>
            </html>
            """;
    private static final String DEFAULT = "default";

    /** By normalised site host. */
    private final Map<String, String> pages;
    /** For every other site: the operator's {@code default} page, else the built-in one. */
    private final String fallback;

    private ErrorPages(Map<String, String> pages, String fallback) {
        this.pages = pages;
        this.fallback = fallback;
    }

    /** The built-in page only. */
    public static ErrorPages builtIn() {
        return new ErrorPages(Map.of(), BUILT_IN);
    }

    /** @param files {@code error-pages}: {@code default} or a site, to an HTML file (checked readable by the config) */
    public static ErrorPages load(Map<String, Path> files) {
        Map<String, String> pages = new HashMap<>();
        files.forEach((site, file) -> {
            try {
                pages.put(
                        site.equals(DEFAULT) ? DEFAULT : KeyRules.normaliseHost(site),
                        Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the error page " + file.toAbsolutePath(), e);
            }
        });
        String fallback = pages.getOrDefault(DEFAULT, BUILT_IN);
        return new ErrorPages(Map.copyOf(pages), fallback);
    }

    /** The page for {@code status} on {@code site} (the key's host, empty without sites). */
    FullHttpResponse page(HttpResponseStatus status, String site, Outcome outcome) {
        String template = pages.getOrDefault(site.toLowerCase(Locale.ROOT), fallback);
        byte[] html = template.replace("{{status}}", Integer.toString(status.code()))
                .replace("{{reason}}", status.reasonPhrase())
                .replace("{{message}}", messageFor(status.code()))
                .getBytes(StandardCharsets.UTF_8);
        return ResponseFactory.unstored(status, html, HttpHeaderValues.TEXT_HTML + "; charset=utf-8", outcome);
    }

    private static String messageFor(int status) {
        return switch (status) {
            case 503 -> "The site is busy or restarting. Please try again in a moment.";
            case 504 -> "The site took too long to answer. Please try again in a moment.";
            default -> "The site could not answer just now. Please try again in a moment.";
        };
    }
}
