package dev.edgecache.origin.markdown;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Safelist;

/**
 * CommonMark to safe HTML, in two independent layers: the CommonMark renderer escapes all raw HTML and sanitises
 * link and image URLs ({@code javascript:} and friends are dropped), then jsoup's allow-list cleaner removes any
 * element, attribute or URL scheme outside a relaxed article safelist and marks links {@code rel="nofollow ugc"}.
 * Thread-safe and stateless after construction.
 */
public final class Markdown {
    private static final String BASE = "https://origin.invalid/";

    private final Parser parser = Parser.builder().build();
    private final HtmlRenderer renderer =
            HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();
    private final Safelist safelist =
            Safelist.relaxed().preserveRelativeLinks(true).addEnforcedAttribute("a", "rel", "nofollow ugc");

    public SafeHtml render(String markdown) {
        String html = renderer.render(parser.parse(markdown));
        Document.OutputSettings out = new Document.OutputSettings().prettyPrint(false);
        return new SafeHtml(Jsoup.clean(html, BASE, safelist, out));
    }

    /** Plain text of the first paragraph-ish part of {@code markdown}, at most {@code max} characters (excerpts). */
    public String excerpt(String markdown, int max) {
        String text = Jsoup.parse(renderer.render(parser.parse(markdown))).text();
        return text.length() <= max
                ? text
                : text.substring(0, Math.max(0, max - 1)).stripTrailing() + "…";
    }
}
