package dev.edgecache.origin.markdown;

import java.util.regex.Pattern;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * CommonMark to safe HTML, in two independent layers: the CommonMark renderer escapes all raw HTML and sanitises
 * link and image URLs ({@code javascript:} and friends are dropped), then jsoup's allow-list cleaner removes any
 * element, attribute or URL scheme outside a relaxed article safelist and marks links {@code rel="nofollow ugc"}.
 * On the clean tree, two rewrites of our own: a fenced block's {@code class} keeps only its {@code language-…}
 * name (for the highlighter, {@code /assets/highlight-*.js}), and uploaded images become responsive
 * {@code <picture>} markup ({@link ResponsiveImages}). Thread-safe and stateless after construction.
 */
public final class Markdown {
    private static final String BASE = "https://origin.invalid/";
    private static final Pattern LANGUAGE = Pattern.compile("language-[A-Za-z0-9_+#.-]{1,32}");

    private final Parser parser = Parser.builder().build();
    private final HtmlRenderer renderer =
            HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();
    private final Safelist safelist = Safelist.relaxed()
            .preserveRelativeLinks(true)
            .addEnforcedAttribute("a", "rel", "nofollow ugc")
            .addAttributes("code", "class");
    private final ResponsiveImages images;

    /** Images left as written (docs, tests). */
    public Markdown() {
        this(ImageSizes.NONE);
    }

    /** Uploaded images known to {@code sizes} become responsive markup. */
    public Markdown(ImageSizes sizes) {
        this.images = new ResponsiveImages(sizes);
    }

    public SafeHtml render(String markdown) {
        String html = renderer.render(parser.parse(markdown));
        Document clean = new Cleaner(safelist).clean(Jsoup.parseBodyFragment(html, BASE));
        clean.outputSettings().prettyPrint(false);
        for (Element code : clean.select("code[class]")) {
            String language = code.classNames().stream()
                    .filter(c -> LANGUAGE.matcher(c).matches())
                    .findFirst()
                    .orElse("");
            if (language.isEmpty()) code.removeAttr("class");
            else code.attr("class", language);
        }
        images.rewrite(clean.body());
        return new SafeHtml(clean.body().html());
    }

    /** Plain text of the first paragraph-ish part of {@code markdown}, at most {@code max} characters (excerpts). */
    public String excerpt(String markdown, int max) {
        String text = Jsoup.parse(renderer.render(parser.parse(markdown))).text();
        return text.length() <= max
                ? text
                : text.substring(0, Math.max(0, max - 1)).stripTrailing() + "…";
    }
}
